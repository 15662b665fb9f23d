using ForwardGnn.Graphs;

namespace ForwardGnn.Data.Splits;

/// <summary>
/// One link-prediction split: the message-passing graph used for training and validation (train edges, both
/// directions), the one used for testing (train ∪ val edges), and each part's supervision pairs.
/// </summary>
public sealed record EdgeSplit(int Index, EdgeIndex TrainGraph, EdgeIndex TestGraph,
    LinkSupervision Train, LinkSupervision Val, LinkSupervision Test)
{
    /// <summary>Validation uses the training message-passing graph (PyG RandomLinkSplit).</summary>
    public EdgeIndex ValGraph => TrainGraph;
}
