using System.Diagnostics;
using ForwardGnn.Data.Splits;
using ForwardGnn.Graphs;
using ForwardGnn.Models;
using ForwardGnn.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Learning.Forward;

/// <summary>
/// FF-VN, forward-forward with virtual nodes (spec §4.3). Positive graph: training nodes linked to their true
/// class node; negative graph j: linked to their j-th wrong class. All streams share the features [X ; V] and,
/// after every layer, the positive stream's output. Candidate class c is evaluated on a graph where the query
/// nodes are linked to v_c and the known nodes to their true class (train for validation, train ∪ val for test).
/// The layer objective is FF's BCE on goodness (<see cref="Goodness.Loss(Tensor, IReadOnlyList{Tensor}, Tensor, double)"/>)
/// or, for FF-SymBa (spec §11.2), <see cref="SymBa.NodeLoss"/> on the same graphs. The trained layers and the class
/// features V make a <see cref="ForwardForwardModel"/>.
/// </summary>
/// <param name="name">The <c>--algo</c> name.</param>
/// <param name="loss">The layer's loss.</param>
internal sealed class FfVirtualNodesAlgorithm(string name, ForwardForwardLoss loss) : ILearningAlgorithm, IModelRestorer
{
    public string Name { get; } = name;

    public bool ReportsEveryDepth => true;

    public bool Supports(TaskKind task) => task == TaskKind.Node;

    /// <inheritdoc/>
    public GnnModel RestoreModel(ModelCard card, WeightSource weights) => ForwardForwardModel.Restore(card, weights, ForwardForwardInput.VirtualNodes);

    public RunResult Run(RunContext c)
    {
        NodeSplit split = c.NodeSplit ?? throw new ArgumentException("FF-VN needs a node split");
        int[] labels = c.Data.Labels;
        using var scope = NewDisposeScope();
        var clock = Stopwatch.StartNew();
        torch.manual_seed(c.Seed);
        using var layers = new LocalLayers(c.Config, c.Data.NumFeatures, cacheFixedInputs: true);
        var augmenter = new VirtualNodeAugmenter(c.Data, randn(c.Data.NumClasses, c.Data.NumFeatures).data<float>().ToArray());
        int[][] wrong = WrongClasses.Draw(labels, c.Data.NumClasses, int.MaxValue, new Random((int)c.Seed));
        Tensor input = CandidateStreams.VirtualNodeInput(augmenter, c.Device);

        var graphs = new List<GraphTensors>();
        FeedStream Stream(int[] assign, IEnumerable<int> linked)
        {
            GraphTensors graph = CandidateStreams.VirtualNodeGraph(augmenter, assign, linked, c.Device);
            graphs.Add(graph);
            return new FeedStream(input, graph);
        }
        FeedStream[] Candidates(int[] known, int[] query) => Enumerable.Range(0, c.Data.NumClasses)
            .Select(cls => Stream(CandidateStreams.CandidateAssignment(labels, query, cls), known.Concat(query))).ToArray();
        try
        {
            FeedStream positive = Stream(labels, split.Train);
            FeedStream[] negatives = wrong.Select(w => Stream(w, split.Train)).ToArray();
            FeedStream[] val = Candidates(split.Train, split.Val);
            FeedStream[] test = Candidates([.. split.Train, .. split.Val], split.Test);
            var trainer = new ForwardForwardTrainer(c, layers, new NodeSets(c.Data, split, augmenter, c.Device));
            RunResult result = trainer.Run(loss, positive, negatives, negativesFollowPositive: true, val, test, clock);
            return c.Deliver(result, ForwardForwardModel.FromRun(c, Name, ForwardForwardInput.VirtualNodes, layers, trainer, augmenter.ClassFeatures));
        }
        finally
        {
            foreach (GraphTensors graph in graphs) graph.Dispose();
        }
    }
}
