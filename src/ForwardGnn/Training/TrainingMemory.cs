using ForwardGnn.Data;
using ForwardGnn.Layers;
using ForwardGnn.Learning;

namespace ForwardGnn.Training;

/// <summary>
/// An upper estimate of what training a configuration on a graph takes, checked against <see cref="MemoryBudget"/>
/// before the first tensor is made, so that a width, depth or feature count the machine cannot hold is refused with the
/// estimate instead of ending in an out-of-memory kill. The terms (bytes):
/// features (dense N·F·4 above 25 % density, else 20 per stored entry: COO indices and value), twice (the tensor and
/// its normalised copy); parameters (F·H + (L−1)·H² + H·C)·4, four times (weights, gradients, two Adam moments);
/// activations N·H·L·4, twelve times (forward, backward, cached aggregations, evaluation, the optimiser's temporaries),
/// with L at most 2 for the layer-wise algorithms, which free a finished layer's activations; edges E·20, three times
/// (index, CSR, transposed operator), plus E·heads·4 eight times per layer for GAT's attention (scores, softmax,
/// their gradients); and the runtime, 256 MiB.
/// Measured peaks stay below it with a margin (docs/reliability.md: Cora_ML SF-GCN 244 MiB against 304, Amazon-Photo
/// BP-GAT 388–413 MiB against 463).
/// </summary>
internal static class TrainingMemory
{
    private const double Runtime = 256.0 * (1 << 20);

    /// <summary>The estimate in bytes (a double: a hostile configuration can exceed a long).</summary>
    public static double Estimate(GraphDataset data, TrainConfig config)
    {
        double n = data.NumNodes, f = data.NumFeatures, c = data.NumClasses + 1, e = data.Edges.Count, h = config.Hidden, l = config.Layers;
        double features = data.Features.Density > FeatureTensor.DenseAbove ? n * f * 4 : data.Features.StoredCount * 20.0;
        double parameters = (f * h + (l - 1) * h * h + h * c) * 4 * 4;
        // Layer-wise algorithms free a finished layer's activations (memory flat in depth): two layers' worth at most.
        double livingLayers = LearningAlgorithms.Find(config.Algo).ReportsEveryDepth ? Math.Min(l, 2) : l;
        double activations = n * h * livingLayers * 4 * 12;
        double edges = e * 20 * 3 + (config.Gnn == GnnKind.Gat ? e * GnnLayers.GatHeads * 4 * 8 * l : 0);
        if (config.Task == TaskKind.Link) edges *= 3;   // positive and negative training pairs, validation and test pairs
        return Runtime + 2 * features + parameters + activations + edges;
    }

    /// <summary>Refuses (with the estimate) a configuration whose training would not fit in the memory budget.</summary>
    /// <exception cref="ArgumentException">The estimate exceeds <see cref="MemoryBudget.Limit"/>.</exception>
    public static void Check(GraphDataset data, TrainConfig config)
    {
        double bytes = Estimate(data, config);
        long limit = MemoryBudget.Limit;
        if (bytes > limit)
            throw new ArgumentException($"training {config.Algo}-{config.Gnn.ToString().ToLowerInvariant()} with {config.Layers} layers of " +
                $"{config.Hidden} on {EchoedText.Shorten(data.Name, 60)} ({data.NumNodes:N0} nodes, {data.NumFeatures:N0} features, {data.Edges.Count:N0} edges): " +
                MemoryBudget.Refusal(bytes, limit, "it"));
    }
}
