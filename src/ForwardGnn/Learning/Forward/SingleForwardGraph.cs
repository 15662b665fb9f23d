using ForwardGnn.Data.Splits;
using ForwardGnn.Engine;
using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using ForwardGnn.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Learning.Forward;

/// <summary>
/// What SF and its top-down variants share (spec §3.5, §4.4): virtual class nodes with N(0, 1) features drawn after
/// the model is built, the augmented graph G′ (training nodes linked both ways to their class node) used for
/// training and every evaluation, and the node index sets.
/// </summary>
internal sealed class SingleForwardGraph : IDisposable
{
    public SingleForwardGraph(RunContext c)
    {
        NodeSplit split = c.NodeSplit ?? throw new ArgumentException($"{c.Config.Algo} needs a node split");
        Augmenter = new VirtualNodeAugmenter(c.Data, randn(c.Data.NumClasses, c.Data.NumFeatures).data<float>().ToArray());
        Graph = new GraphTensors(Augmenter.Augment(c.Data.Labels, Augmenter.Mask(split.Train)), c.Device);
        Nodes = new NodeSets(c.Data, split, Augmenter, c.Device);
        Device = c.Device;
        Temperature = c.Config.Forward.Temperature;
        TrainRows = cat([Nodes.Train, Nodes.Virtual]);
        TrainLabelValues = Nodes.TrainLabels.cpu().data<long>().ToArray();
        ValRows = cat([Nodes.Val, Nodes.Virtual]);
    }

    /// <summary>The rows the loss reads: the training nodes, then the virtual nodes, [|train| + C].</summary>
    public Tensor TrainRows { get; }

    /// <summary>y[train] as values, [|train|].</summary>
    public long[] TrainLabelValues { get; }

    /// <summary>The rows a validation check reads: the validation nodes, then the virtual nodes, [|val| + C].</summary>
    public Tensor ValRows { get; }

    /// <summary>τ of the class scores.</summary>
    public double Temperature { get; }

    public VirtualNodeAugmenter Augmenter { get; }
    public GraphTensors Graph { get; }
    public NodeSets Nodes { get; }
    public Device Device { get; }

    /// <summary>LN(X_aug) as sparse features, [N + C, F].</summary>
    public Tensor NormalizedFeatures() => FeatureTensor.From(RowNorm.Apply(Augmenter.Features), Device);

    /// <summary>The SF loss of embeddings z [N + C, d]: CE(z[train] · z[VN]ᵀ / τ, y[train]).</summary>
    public Tensor Loss(Tensor z) => nn.functional.cross_entropy(SingleForwardAlgorithm.Scores(z, Nodes.Train, Nodes.Virtual, Temperature), Nodes.TrainLabels);

    /// <summary>
    /// <see cref="Loss"/> from only the rows it reads: <paramref name="rows"/> = z[<see cref="TrainRows"/>],
    /// [|train| + C, d], so CE(rows[:|train|] · rows[|train|:]ᵀ / τ, y[train]).
    /// </summary>
    public Tensor LossOfRows(Tensor rows) => nn.functional.cross_entropy(ScoresOfRows(rows), Nodes.TrainLabels);

    /// <summary>Class scores from z[Q ‖ VN] [|Q| + C, d]: z[Q] · z[VN]ᵀ / τ, [|Q|, C].</summary>
    public Tensor ScoresOfRows(Tensor rows)
    {
        long queried = rows.shape[0] - Nodes.NumClasses;
        return rows.narrow(0, 0, queried).matmul(rows.narrow(0, queried, Nodes.NumClasses).t()).div(HeldScalars.Of(Temperature));
    }

    /// <summary>softmax(z[Q] · z[VN]ᵀ / τ) for the nodes <paramref name="subset"/>.</summary>
    public Tensor Probabilities(Tensor z, Tensor subset) => SingleForwardAlgorithm.Scores(z, subset, Nodes.Virtual, Temperature).softmax(1);

    /// <summary>Accuracy (%) of argmax of summed class probabilities against the labels.</summary>
    public static double Accuracy(Tensor probabilities, Tensor labels) =>
        Metrics.Accuracy(probabilities.argmax(1).cpu().data<long>().ToArray(), labels.cpu().data<long>().ToArray());

    public void Dispose()
    {
        Graph.Dispose();
        TrainRows.Dispose();
        ValRows.Dispose();
    }
}
