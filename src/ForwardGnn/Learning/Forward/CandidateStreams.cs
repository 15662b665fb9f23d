using ForwardGnn.Data;
using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using ForwardGnn.Training;
using static TorchSharp.torch;

namespace ForwardGnn.Learning.Forward;

/// <summary>
/// The input streams of FF-LA and FF-VN, built the same way by the algorithms' training and evaluation and by a
/// trained model's prediction (<see cref="Models.ForwardForwardModel"/>): label streams [X ‖ P] (FF-LA) and virtual-node
/// graphs (FF-VN), and the candidate streams that give query nodes class c and known nodes their true label.
/// </summary>
internal static class CandidateStreams
{
    /// <summary>
    /// FF-LA: what candidate class c appends at node i: the true label at <paramref name="known"/> nodes, c at
    /// <paramref name="query"/> nodes, nothing (−1, the uniform vector) elsewhere; one function per class.
    /// </summary>
    public static Func<int, int>[] CandidateLabels(int[] labels, int classes, bool[] known, bool[] query) =>
        Enumerable.Range(0, classes).Select(cls => (Func<int, int>)(i => known[i] ? labels[i] : query[i] ? cls : -1)).ToArray();

    /// <summary>
    /// FF-LA: one stream per label function, all on <paramref name="graph"/>. Streams that give labels to the same nodes
    /// have the same LN row scales D, so LN([X ‖ P_s]) = [D X ‖ D P_s]: the group shares the block D X (and its
    /// projection at every step), each stream adds only its [N, C] block.
    /// </summary>
    public static FeedStream[] LabelStreams(CsrMatrix features, int classes, Func<int, int>[] labelOfs, GraphTensors graph, Device device)
    {
        double[] scales = LabelBlock.NormalizedRowScales(features, classes, labelOfs[0]);
        if (labelOfs.Any(f => !LabelBlock.NormalizedRowScales(features, classes, f).AsSpan().SequenceEqual(scales)))
            throw new InvalidOperationException("label streams sharing their features must label the same nodes");
        Tensor shared = FeatureTensor.From(RowNorm.ScaleRows(features, scales), device);
        int rows = features.Rows;
        return labelOfs.Select(f => new FeedStream(shared,
            tensor(LabelBlock.Normalized(rows, classes, f, scales), [rows, classes], device: device), graph)).ToArray();
    }

    /// <summary>FF-VN: layer 1's input, the normalised features [X ; V] that every stream shares.</summary>
    public static Tensor VirtualNodeInput(VirtualNodeAugmenter augmenter, Device device) =>
        FeatureTensor.From(RowNorm.Apply(augmenter.Features), device);

    /// <summary>FF-VN: the graph linking every <paramref name="linked"/> node i to v_{assign[i]}.</summary>
    public static GraphTensors VirtualNodeGraph(VirtualNodeAugmenter augmenter, int[] assign, IEnumerable<int> linked, Device device) =>
        new(augmenter.Augment(assign, augmenter.Mask(linked)), device);

    /// <summary>FF-VN: candidate class <paramref name="cls"/>'s class assignment: the labels, with <paramref name="query"/> nodes given <paramref name="cls"/>.</summary>
    public static int[] CandidateAssignment(int[] labels, IEnumerable<int> query, int cls)
    {
        int[] assign = (int[])labels.Clone();
        foreach (int i in query) assign[i] = cls;
        return assign;
    }
}
