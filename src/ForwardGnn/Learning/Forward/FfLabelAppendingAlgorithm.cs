using System.Diagnostics;
using ForwardGnn.Data;
using ForwardGnn.Data.Splits;
using ForwardGnn.Graphs;
using ForwardGnn.Models;
using ForwardGnn.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Learning.Forward;

/// <summary>
/// FF-LA, forward-forward with label appending (spec §4.2). The positive input is [X ‖ P⁺] with one-hot true labels
/// on training nodes and 1/C elsewhere; negative j appends the j-th wrong class instead. Each stream keeps its own
/// activations through the layers. Candidate class c appends onehot(c) at the query nodes and the true labels at
/// the known nodes (train for validation, train ∪ val for test). Layer 1 projects the features once for all streams
/// of a group (<see cref="SharedProjections"/>). The trained layers make a <see cref="ForwardForwardModel"/>.
/// </summary>
internal sealed class FfLabelAppendingAlgorithm : ILearningAlgorithm, IModelRestorer
{
    public string Name => "ff-la";

    public bool ReportsEveryDepth => true;

    public bool Supports(TaskKind task) => task == TaskKind.Node;

    /// <inheritdoc/>
    public GnnModel RestoreModel(ModelCard card, WeightSource weights) => ForwardForwardModel.Restore(card, weights, ForwardForwardInput.LabelAppending);

    public RunResult Run(RunContext c)
    {
        NodeSplit split = c.NodeSplit ?? throw new ArgumentException("FF-LA needs a node split");
        int[] labels = c.Data.Labels;
        int classes = c.Data.NumClasses;
        using var scope = NewDisposeScope();
        var clock = Stopwatch.StartNew();
        torch.manual_seed(c.Seed);
        using var layers = new LocalLayers(c.Config, c.Data.NumFeatures + classes, cacheFixedInputs: true);
        int[][] wrong = WrongClasses.Draw(labels, classes, int.MaxValue, new Random((int)c.Seed));
        using var graph = new GraphTensors(c.Data.Edges, c.Device);

        bool[] Mask(IEnumerable<int> nodes) => NodeSplit.Mask(c.Data.NumNodes, nodes);
        FeedStream[] Group(Func<int, int>[] labelOfs) => CandidateStreams.LabelStreams(c.Data.Features, classes, labelOfs, graph, c.Device);
        FeedStream[] Candidates(bool[] known, bool[] query) => Group(CandidateStreams.CandidateLabels(labels, classes, known, query));

        bool[] train = Mask(split.Train);
        FeedStream[] trainStreams = Group([i => train[i] ? labels[i] : -1, .. wrong.Select(w => (Func<int, int>)(i => train[i] ? w[i] : -1))]);
        FeedStream positive = trainStreams[0];
        FeedStream[] negatives = trainStreams[1..];
        FeedStream[] val = Candidates(train, Mask(split.Val));
        FeedStream[] test = Candidates(Mask(split.Train.Concat(split.Val)), Mask(split.Test));
        var trainer = new ForwardForwardTrainer(c, layers, new NodeSets(c.Data, split, null, c.Device));
        RunResult result = trainer.Run(Goodness.Loss, positive, negatives, negativesFollowPositive: false, val, test, clock);
        return c.Deliver(result, ForwardForwardModel.FromRun(c, Name, ForwardForwardInput.LabelAppending, layers, trainer, classFeatures: null));
    }
}
