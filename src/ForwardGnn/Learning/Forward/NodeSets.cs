using ForwardGnn.Data;
using ForwardGnn.Data.Splits;
using static TorchSharp.torch;

namespace ForwardGnn.Learning.Forward;

/// <summary>Index tensors of the train / val / test nodes, their labels, and the virtual class nodes (if any).</summary>
internal sealed class NodeSets
{
    public NodeSets(GraphDataset data, NodeSplit split, VirtualNodeAugmenter? augmenter, Device device)
    {
        Tensor Index(IEnumerable<int> ids) => tensor(ids.Select(i => (long)i).ToArray(), device: device);
        Tensor Labels(int[] ids) => tensor(ids.Select(i => (long)data.Labels[i]).ToArray(), device: device);
        Train = Index(split.Train);
        Val = Index(split.Val);
        Test = Index(split.Test);
        TrainLabels = Labels(split.Train);
        ValLabels = Labels(split.Val);
        TestLabels = Labels(split.Test);
        Virtual = Index(augmenter is null ? [] : Enumerable.Range(0, data.NumClasses).Select(augmenter.VirtualNode));
        NumClasses = data.NumClasses;
    }

    /// <summary>Given index sets: a rank's own part of a split (distributed training).</summary>
    public NodeSets(Tensor train, Tensor trainLabels, Tensor val, Tensor valLabels, Tensor test, Tensor testLabels, Tensor virtualNodes, int numClasses)
    {
        (Train, TrainLabels, Val, ValLabels, Test, TestLabels, Virtual, NumClasses) = (train, trainLabels, val, valLabels, test, testLabels, virtualNodes, numClasses);
    }

    public Tensor Train { get; }
    public Tensor Val { get; }
    public Tensor Test { get; }
    public Tensor TrainLabels { get; }
    public Tensor ValLabels { get; }
    public Tensor TestLabels { get; }
    public Tensor Virtual { get; }
    public int NumClasses { get; }
}
