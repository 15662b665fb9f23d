using System.Diagnostics;
using ForwardGnn.Data.Splits;
using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using ForwardGnn.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Learning.Forward;

/// <summary>
/// SF, single forward (spec §4.4): the graph gains one virtual node per class, linked both ways to the training
/// nodes of that class. Layers f_ℓ(Z) = ReLU(conv_ℓ(LN(Z))) are trained greedily, each with its own Adam and the
/// local loss CE(Z[train] · Z[VN]ᵀ / τ, y[train]) — the virtual nodes' embeddings act as class prototypes and the
/// other classes as negatives. Prediction sums softmax(Z_k[Q] · Z_k[VN]ᵀ / τ) over layers k ≤ ℓ. One run reports
/// every depth 1..L.
/// </summary>
public sealed class SingleForwardAlgorithm : ILearningAlgorithm
{
    public const double Temperature = 1.0;

    public string Name => "sf";

    public bool Supports(TaskKind task) => task == TaskKind.Node;

    public RunResult Run(RunContext c)
    {
        NodeSplit split = c.NodeSplit ?? throw new ArgumentException("SF needs a node split");
        TrainConfig config = c.Config;
        using var scope = NewDisposeScope();
        var clock = Stopwatch.StartNew();
        torch.manual_seed(c.Seed);
        using var layers = new LocalLayers(config, c.Data.NumFeatures);
        {
            var augmenter = new VirtualNodeAugmenter(c.Data, randn(c.Data.NumClasses, c.Data.NumFeatures).data<float>().ToArray());
            using var graph = new GraphTensors(augmenter.Augment(c.Data.Labels, augmenter.Mask(split.Train)), c.Device);
            var nodes = new NodeSets(c.Data, split, augmenter, c.Device);
            Tensor input = SparseFeatures.Create(RowNorm.Apply(augmenter.Features), c.Device);
            var votes = new ClassVotes(nodes);
            var perDepth = new List<DepthResult>();
            for (int l = 0; l < layers.Count; l++)
            {
                (Tensor output, DepthResult depth) = TrainLayer(c, layers[l], l + 1, input, normalized: l == 0, graph, nodes, votes, clock);
                perDepth.Add(depth);
                input = output;
            }
            DepthResult top = perDepth[^1];
            return new RunResult(c.Split, c.Seed, top.Test, top.Val, perDepth.Sum(d => d.Epochs), clock.Elapsed.TotalSeconds) { PerDepth = perDepth };
        }
    }

    /// <summary>Class scores of every node against the virtual class nodes: Z[nodes] · Z[VN]ᵀ / τ.</summary>
    internal static Tensor Scores(Tensor z, Tensor nodes, Tensor virtualNodes) =>
        z.index_select(0, nodes).matmul(z.index_select(0, virtualNodes).t()).div(Temperature);

    private static (Tensor Output, DepthResult Depth) TrainLayer(RunContext c, LocalLayer layer, int depth, Tensor input, bool normalized,
        GraphTensors graph, NodeSets nodes, ClassVotes votes, Stopwatch clock)
    {
        Tensor Loss(Tensor z) => nn.functional.cross_entropy(Scores(z, nodes.Train, nodes.Virtual), nodes.TrainLabels);
        Tensor Output() { using var _ = no_grad(); return layer.Forward(input, graph, normalized); }

        (int epochs, _) = LayerwiseLoop.Train(c, depth, layer.Conv,
            () => layer.Step(input, graph, Loss, normalized),
            () => votes.Accuracy(Output(), nodes.Val, nodes.ValLabels, votes.Val), clock);
        Tensor output = Output();
        double val = votes.Accuracy(output, nodes.Val, nodes.ValLabels, votes.Val);
        double test = votes.Accuracy(output, nodes.Test, nodes.TestLabels, votes.Test);
        votes.Add(output);
        return (output, new DepthResult(depth, test, val, epochs, clock.Elapsed.TotalSeconds));
    }
}
