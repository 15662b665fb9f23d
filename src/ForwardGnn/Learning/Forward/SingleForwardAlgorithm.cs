using System.Diagnostics;
using ForwardGnn.Data.Splits;
using ForwardGnn.Engine;
using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using ForwardGnn.Models;
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
internal sealed class SingleForwardAlgorithm : ILearningAlgorithm, IModelRestorer
{
    public const double Temperature = 1.0;

    public string Name => "sf";

    public bool ReportsEveryDepth => true;

    public bool Supports(TaskKind task) => task == TaskKind.Node;

    /// <inheritdoc/>
    public GnnModel RestoreModel(ModelCard card, WeightSource weights) => SingleForwardModel.Restore(card, weights);

    public RunResult Run(RunContext c)
    {
        if (c.Ranks is { Size: > 1 }) return DistributedSingleForward.Run(c, c.Ranks);
        using var scope = NewDisposeScope();
        var clock = Stopwatch.StartNew();
        torch.manual_seed(c.Seed);
        using var layers = new LocalLayers(c.Config, c.Data.NumFeatures, cacheFixedInputs: true, ranks: c.Ranks);
        using var setup = new SingleForwardGraph(c);
        Tensor input = setup.NormalizedFeatures();
        var votes = new ClassVotes(setup.Nodes, (z, subset) => Scores(z, subset, setup.Nodes.Virtual, setup.Temperature));
        RunResult result = LayerWise.Run(c, layers.Count, clock, l =>
        {
            (Tensor output, LayerOutcome outcome) = TrainLayer(c, layers[l], l + 1, input, normalized: l == 0, setup, votes, clock);
            input.Dispose();   // a finished layer's input is never read again: memory stays flat in depth
            input = output;
            return outcome;
        });
        return c.Deliver(result, new SingleForwardModel(c.Card(Name) with { Options = new Dictionary<string, double> { ["temperature"] = setup.Temperature } },
            layers.Select(l => l.TakeConv()).ToArray(), setup.Augmenter.ClassFeatures));
    }

    /// <summary>Class scores of every node against the virtual class nodes: Z[nodes] · Z[VN]ᵀ / τ.</summary>
    internal static Tensor Scores(Tensor z, Tensor nodes, Tensor virtualNodes, double temperature = Temperature) =>
        z.index_select(0, nodes).matmul(z.index_select(0, virtualNodes).t()).div(HeldScalars.Of(temperature));

    private static (Tensor Output, LayerOutcome Outcome) TrainLayer(RunContext c, LocalLayer layer, int depth, Tensor input, bool normalized,
        SingleForwardGraph setup, ClassVotes votes, Stopwatch clock)
    {
        GraphTensors graph = setup.Graph;
        NodeSets nodes = setup.Nodes;
        Tensor Output()
        {
            using var _ = no_grad();
            using var scope = NewDisposeScope();   // the conv's intermediates are [N, d] each
            return layer.Forward(input, graph, normalized).MoveToOuterDisposeScope();
        }

        // Layer 1 on sparse features, written out: only the scored rows of Â are read, by operators kept for the layer.
        bool sparseStep = !c.AutogradOnly && normalized && SingleForwardGcnStep.AppliesToSparse(layer, input);
        GcnConv? sparseConv = sparseStep ? (GcnConv)layer.Conv : null;
        SparseOperator? features = sparseStep ? SparseFeatures.OperatorOf(input) : null;
        using SparseOperator? scoredAdjacency = sparseStep ? graph.GcnAdjacency.SelectRows(IndexArrays.From(setup.TrainRows)) : null;
        using SparseOperator? validationAdjacency = sparseStep ? graph.GcnAdjacency.SelectRows(IndexArrays.From(setup.ValRows)) : null;

        // P = s W₁ᵀ made by a check, kept for the next step: nothing changes W₁ between a check and the next step (a stop ends the layer).
        Tensor? checkedProjection = null;

        double Validate()   // only the validation and virtual rows are computed where the layer can (LocalLayer.ForwardRows)
        {
            using var _ = no_grad();
            using var scope = NewDisposeScope();
            Tensor rows;
            if (sparseConv is not null)
            {
                Tensor projection = features!.Product(sparseConv.Weight.t());
                rows = SingleForwardGcnStep.ForwardRows(sparseConv, projection, validationAdjacency!);
                checkedProjection?.Dispose();
                checkedProjection = projection.DetachFromDisposeScope();
            }
            else rows = layer.ForwardRows(input, graph, setup.ValRows, normalized);
            return ClassVotes.AccuracyOf(setup.ScoresOfRows(rows), nodes.ValLabels, votes.Val);
        }

        float Step()
        {
            if (sparseConv is not null)
            {
                try
                {
                    return layer.StepWith(() => SingleForwardGcnStep.SetGradients(sparseConv, features!, scoredAdjacency!, setup.TrainLabelValues,
                        setup.Temperature, checkedProjection));
                }
                finally
                {
                    checkedProjection?.Dispose();   // W₁ has moved
                    checkedProjection = null;
                }
            }
            if (!c.AutogradOnly && SingleForwardGcnStep.Applies(layer, input) && layer.AggregateRows(input, graph, setup.TrainRows, normalized) is { } rows)
                return layer.StepWith(() => SingleForwardGcnStep.SetGradients((GcnConv)layer.Conv, rows, setup.TrainLabelValues, setup.Temperature));
            return layer.Step(() => setup.LossOfRows(layer.ForwardRows(input, graph, setup.TrainRows, normalized)));
        }

        // W₁ laid out transposed while it trains (s Wᵀ and sᵀ G without transposing copies), back before it leaves.
        if (sparseConv is not null) ParameterLayout.Set(sparseConv.Weight, transposed: true);
        int epochs;
        try { (epochs, _) = TrainingSchedule.Train(c, depth, layer.Conv, Step, Validate, clock); }
        finally
        {
            checkedProjection?.Dispose();
            if (sparseConv is not null) ParameterLayout.Set(sparseConv.Weight, transposed: false);
        }
        Tensor output = Output();
        double val = votes.Accuracy(output, nodes.Val, nodes.ValLabels, votes.Val);
        double test = votes.Accuracy(output, nodes.Test, nodes.TestLabels, votes.Test);
        votes.Add(output);
        layer.ClearCache();
        return (output, new LayerOutcome(test, val, epochs));
    }
}
