using ForwardGnn.Data;
using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using ForwardGnn.Learning.Forward;
using ForwardGnn.Training;
using static TorchSharp.torch;

namespace ForwardGnn.Models;

/// <summary>
/// The graph of one inference of a model with virtual class nodes (SF's family): the input graph augmented
/// with the model's class nodes (features [C, F]), each linked both ways to the
/// labelled nodes of its class, as the run's <see cref="SingleForwardGraph"/> links the training nodes. Its tensors
/// live in the caller's dispose scope; the graph's operators are freed by <see cref="Dispose"/>.
/// </summary>
internal sealed class ClassNodeGraph : IDisposable
{
    public ClassNodeGraph(ModelCard card, float[] classFeatures, GraphDataset data, IReadOnlyCollection<int>? labelled)
    {
        Data = data with { NumClasses = card.NumClasses };   // the class nodes are the model's
        Labelled = labelled ?? [];
        Augmenter = new VirtualNodeAugmenter(Data, classFeatures);
        Graph = new GraphTensors(Augmenter.Augment(Data.Labels, Augmenter.Mask(Labelled)), CPU);
        Virtual = tensor(Enumerable.Range(Data.NumNodes, Data.NumClasses).Select(i => (long)i).ToArray());   // no implicit Scalars (HeldScalars)
    }

    /// <summary>The input graph, with the model's class count.</summary>
    public GraphDataset Data { get; }

    /// <summary>The nodes whose labels the inference reads.</summary>
    public IReadOnlyCollection<int> Labelled { get; }

    public VirtualNodeAugmenter Augmenter { get; }

    /// <summary>The augmented graph G′ on N + C nodes.</summary>
    public GraphTensors Graph { get; }

    /// <summary>The virtual class nodes' ids, [C].</summary>
    public Tensor Virtual { get; }

    /// <summary>LN(X_aug) as sparse features, [N + C, F].</summary>
    public Tensor NormalizedFeatures() => FeatureTensor.From(RowNorm.Apply(Augmenter.Features), CPU);

    public void Dispose() => Graph.Dispose();
}
