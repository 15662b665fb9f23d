using System.Diagnostics;
using ForwardGnn.Data.Splits;
using ForwardGnn.Distributed;
using ForwardGnn.Engine;
using ForwardGnn.Layers;
using ForwardGnn.Models;
using ForwardGnn.Training;
using ForwardGnn.Training.Loop;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Learning.Backprop;

/// <summary>
/// Backpropagation on K ranks (GCN, node classification), the baseline distributed forward learning is compared
/// with. Every epoch, every layer exchanges halo rows twice: its input's in the forward pass
/// (<see cref="PartitionView.WithHalo"/>) and their gradients in the backward pass
/// (<see cref="PartitionView.ReturnHaloGradients"/>), which runs layer by layer from the top; then one all-reduce of all
/// gradients and the loss. Each rank's loss is CE over its own training nodes × |own train| / |train|. A rank reads its
/// part of the graph and its own and halo rows of X from its shard (<see cref="BackpropShard"/>: a preparation step's
/// file, or built in memory from the whole dataset), never needing the rest.
/// </summary>
internal static class DistributedBackprop
{
    public static RunResult Run(RunContext c, ICommunicator ranks)
    {
        if (c.Config.Gnn != GnnKind.Gcn || c.Config.Task != TaskKind.Node)
            throw new NotSupportedException("distributed BP supports GCN node classification in this build");
        if (c.Config.Dropout > 0) throw new InvalidSettingException(nameof(TrainConfig.Dropout), "is not applied by distributed bp in this build");
        NodeSplit split = c.NodeSplit ?? throw new ArgumentException("node classification needs a node split");
        using var scope = NewDisposeScope();
        torch.manual_seed(c.Seed);
        var model = new BasicGnn(c.Config.Gnn, c.Data.NumFeatures, c.Config.Hidden, c.Config.Layers, c.Data.NumClasses);
        model.to(c.Device);
        RankShard shard = c.ShardFile is { } file
            ? RankShard.Read(file, RankShard.Key(BackpropShard.Kind, c.Data, split, ranks.Size, ranks.Rank), 0, c.Device)
            : BackpropShard.Of(c.Data, split, ranks.Size, [ranks.Rank]).Single().Shard;
        using var view = new PartitionView(shard.Plan, c.Device);
        var local = new Dictionary<int, long>();
        for (int i = 0; i < view.Own.Length; i++) local[view.Own[i]] = i;
        (Tensor Index, Tensor Labels) Own(int[] nodes)
        {
            int[] kept = nodes.Where(local.ContainsKey).ToArray();
            return (tensor(kept.Select(n => local[n]).ToArray(), device: c.Device), tensor(kept.Select(n => (long)c.Data.Labels[n]).ToArray(), device: c.Device));
        }
        var (train, trainLabels) = Own(split.Train);
        var (val, valLabels) = Own(split.Val);
        var (test, testLabels) = Own(split.Test);
        double share = (double)train.shape[0] / split.Train.Length;
        Tensor x = shard.InputRows(0, c.Device);   // X's own and halo rows, [own + halo, F]
        shard = null!;   // its rows are in x now
        IReadOnlyList<GraphConv> convs = model.Convs;

        // The forward pass on this rank's rows; with grad, each layer's input (own rows and halo) is a leaf, so the
        // backward pass can stop there and hand the halo's gradients back to their owners. Only what the backward pass
        // reads is kept (each layer's input and output); without grad, a layer's input goes once its output is computed.
        (Tensor Logits, List<(Tensor Input, Tensor Output)> Layers) Forward(bool withGrad)
        {
            var layers = new List<(Tensor, Tensor)>();
            Tensor input = x;
            for (int l = 0; ; l++)
            {
                bool last = l == convs.Count - 1;
                Tensor output;
                using (NewDisposeScope())   // the projection input·Wᵀ [input rows, d]: no backward reads it
                    output = (last ? convs[l].call(input, view.Graph) : convs[l].ForwardRelu(input, view.Graph)).MoveToOuterDisposeScope();
                if (withGrad) layers.Add((input, output));
                else if (l > 0) input.Dispose();
                if (last) return (output, layers);
                using (no_grad()) input = view.WithHalo(output, ranks);
                if (withGrad) input.requires_grad_(true);
                else output.Dispose();   // its rows are in the next input
            }
        }

        double Accuracy(Tensor logits, Tensor nodes, Tensor labels)
        {
            int correct = nodes.shape[0] == 0 ? 0 : (int)logits.index_select(0, nodes).argmax(1).eq(labels).sum().item<long>();
            return GlobalAccuracy.Of(ranks, correct, (int)nodes.shape[0]);
        }
        double Evaluate(Tensor nodes, Tensor labels)
        {
            using var _ = no_grad();
            using var inner = NewDisposeScope();
            return Accuracy(Forward(withGrad: false).Logits, nodes, labels);
        }

        var clock = Stopwatch.StartNew();
        using var optimizer = new FusedAdam(model.parameters(), c.Config.Lr, c.Config.WeightDecay);
        float Step()
        {
            using var inner = NewDisposeScope();
            optimizer.ZeroGrad();
            (Tensor logits, var layers) = Forward(withGrad: true);
            Tensor loss = nn.functional.cross_entropy(logits.index_select(0, train), trainLabels).mul(HeldScalars.Of(share));
            if (train.shape[0] == 0) loss = logits.sum().mul(HeldScalars.Of(0));
            // Each backward call in a scope of its own: the autograd functions' intermediates (gradients [rows, d] of
            // each layer) are handed to this thread's scope and would otherwise live until the step ends.
            using (NewDisposeScope()) loss.backward();
            for (int l = layers.Count - 1; l > 0; l--)
            {
                Tensor input = layers[l].Input, output = layers[l - 1].Output;
                using (Tensor inputGrad = input.grad ?? zeros_like(input))
                using (Tensor ownGrad = view.ReturnHaloGradients(inputGrad, ranks))
                {
                    input.Dispose();   // layer l is done: its input and that input's gradient go
                    using (NewDisposeScope()) output.backward([ownGrad]);
                }
                output.Dispose();
            }
            float value = GradientSum.AllReduce(ranks, model.parameters(), loss);
            optimizer.Step();
            return value;
        }
        (int epochs, double best) = TrainingLoop.Run(c, new TrainingTarget(0, model)
        {
            Step = _ => new EpochOutcome(Step()),
            Validate = () => Evaluate(val, valLabels),
        }, clock);
        double trainSeconds = clock.Elapsed.TotalSeconds;
        var result = new RunResult(c.Split, c.Seed, Evaluate(test, testLabels), best, epochs, trainSeconds);
        return c.Deliver(result, new BackpropModel(c.Card("bp"), model));
    }
}
