using ForwardGnn.Data;
using ForwardGnn.Data.Splits;
using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using ForwardGnn.Learning;
using ForwardGnn.Learning.Forward;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Models;

/// <summary>
/// A node model trained by forward-forward: FF-LA (spec §4.2), FF-VN and FF-SymBa (§4.3, §11.2). Layers
/// Z_ℓ = ReLU(conv_ℓ(LN(Z_{ℓ−1}))) run on one stream per candidate class c, in which the query nodes get class c and
/// the labelled nodes their true label: appended as a one-hot block, [X ‖ P] with 1/C at the other nodes
/// (<see cref="ForwardForwardInput.LabelAppending"/>), or as an edge each way to the virtual node v_c, whose features
/// V [C, F] are part of the model (<see cref="ForwardForwardInput.VirtualNodes"/>). Node q's score for c is its
/// goodness summed over the layers, Σ_ℓ (mean_k Z_ℓ[q, k]² − θ); its prediction is the argmax. The run's test
/// evaluation labels train ∪ val (<see cref="LabelledForTest"/>).
/// </summary>
public sealed class ForwardForwardModel : ConvStackModel
{
    /// <summary>Card options: the goodness threshold θ, and (virtual nodes) whether layer 1 projects the candidates'
    /// common input once (1) or runs each stream's own path (0), as the run's evaluation did.</summary>
    internal const string ThetaOption = "theta", ProjectedOnceOption = "layer1-projected-once";

    private readonly bool _projectOnce;

    internal ForwardForwardModel(ModelCard card, ForwardForwardInput input, GraphConv[] convs, float[]? classFeatures)
        : base(card, convs, classFeatures)
    {
        Input = input;
        _projectOnce = input == ForwardForwardInput.LabelAppending
            || !card.Options.TryGetValue(ProjectedOnceOption, out double once) || once != 0;
    }

    /// <summary>θ of the goodness mean a² − θ summed over layers.</summary>
    public double Theta => Card.Options.GetValueOrDefault(ThetaOption, Goodness.Theta);

    /// <summary>How a stream carries labels.</summary>
    public ForwardForwardInput Input { get; }

    /// <inheritdoc/>
    public override IReadOnlyCollection<int> LabelledForTest(NodeSplit split) => [.. split.Train, .. split.Val];

    /// <summary>
    /// Class predictions for <paramref name="nodes"/> (default: every node not in <paramref name="labelled"/>), whose
    /// scores [|nodes|, C] are the summed goodness of each candidate class's stream. A node in both sets is a query node
    /// (its own label is not read).
    /// </summary>
    public override NodePredictions Predict(GraphDataset graph, IReadOnlyList<int>? nodes = null, IReadOnlyCollection<int>? labelled = null)
    {
        var known = new HashSet<int>(labelled ?? []);
        int[] query = nodes?.ToArray() ?? Enumerable.Range(0, graph.NumNodes).Where(i => !known.Contains(i)).ToArray();
        known.ExceptWith(query);
        CheckNodes(graph, known, query);
        using Inference inference = Begin(graph);
        int classes = Card.NumClasses;
        using Streams candidates = Input == ForwardForwardInput.LabelAppending
            ? LabelStreams(graph, CandidateStreams.CandidateLabels(graph.Labels, classes, Mask(graph, known), Mask(graph, query)))
            : VirtualNodeStreams(graph, Enumerable.Range(0, classes)
                .Select(cls => (CandidateStreams.CandidateAssignment(graph.Labels, query, cls), known.Concat(query))));
        Run(candidates.All, Card.Layers, accumulateScore: true, onOutput: null);
        Tensor q = Index(query);
        return Predictions(query, stack(candidates.All.Select(s => s.Score!.index_select(0, q)).ToArray(), 1));
    }

    /// <summary>
    /// The positive stream's layer outputs at the real nodes: <paramref name="labelled"/> nodes carry their labels (FF-LA:
    /// appended one-hot, 1/C elsewhere; FF-VN: linked to their class node, other nodes unlinked), as in training.
    /// </summary>
    public override NodeEmbeddings Embed(GraphDataset graph, int? layer = null, IReadOnlyCollection<int>? labelled = null)
    {
        var known = new HashSet<int>(labelled ?? []);
        CheckNodes(graph, known, []);
        using Inference inference = Begin(graph, layer);
        bool[] mask = Mask(graph, known);
        using Streams positive = Input == ForwardForwardInput.LabelAppending
            ? LabelStreams(graph, [i => mask[i] ? graph.Labels[i] : -1])
            : VirtualNodeStreams(graph, [(graph.Labels, known)]);
        var outputs = new List<Tensor>();
        Run(positive.All, layer ?? Card.Layers, accumulateScore: false, z => outputs.Add(z.narrow(0, 0, graph.NumNodes).clone()));
        Tensor result = (layer is null ? cat(outputs, 1) : outputs[^1]).contiguous();
        return new NodeEmbeddings(result.data<float>().ToArray(), graph.NumNodes, (int)result.shape[1]);
    }

    /// <summary>
    /// Runs <paramref name="streams"/> through layers 1..<paramref name="depth"/> as the run's evaluation ran its
    /// candidates: layer 1's common input projected once where the run did so (a label block's features always),
    /// deeper layers on each stream's own activations.
    /// </summary>
    private void Run(FeedStream[] streams, int depth, bool accumulateScore, Action<Tensor>? onOutput)
    {
        for (int l = 0; l < depth; l++)
        {
            using SharedProjections? shared = l == 0 && _projectOnce ? new SharedProjections(Convs[l], cacheFixedInputs: false, streams) : null;
            foreach (FeedStream stream in streams)
            {
                Tensor output = stream.Advance(Convs[l], accumulateScore, shared, Theta);
                onOutput?.Invoke(output);
            }
        }
    }

    private Streams LabelStreams(GraphDataset graph, Func<int, int>[] labelOfs)
    {
        var g = new GraphTensors(graph.Edges, CPU);
        return new Streams(CandidateStreams.LabelStreams(graph.Features, Card.NumClasses, labelOfs, g, CPU), [g]);
    }

    private Streams VirtualNodeStreams(GraphDataset graph, IEnumerable<(int[] Assign, IEnumerable<int> Linked)> links)
    {
        var augmenter = new VirtualNodeAugmenter(graph with { NumClasses = Card.NumClasses }, ClassFeatures!);   // the class nodes are the model's
        Tensor input = CandidateStreams.VirtualNodeInput(augmenter, CPU);
        var graphs = new List<GraphTensors>();
        foreach ((int[] assign, IEnumerable<int> linked) in links) graphs.Add(CandidateStreams.VirtualNodeGraph(augmenter, assign, linked, CPU));
        return new Streams(graphs.Select(g => new FeedStream(input, g)).ToArray(), graphs);
    }

    private static bool[] Mask(GraphDataset graph, IEnumerable<int> nodes) => NodeSplit.Mask(graph.NumNodes, nodes);

    /// <summary>Throws unless every node is in the graph and every labelled node's label is one of the model's classes.</summary>
    private void CheckNodes(GraphDataset graph, IEnumerable<int> labelled, IEnumerable<int> query)
    {
        foreach (int i in labelled.Concat(query))
            if (i < 0 || i >= graph.NumNodes) throw new ArgumentOutOfRangeException(nameof(graph), $"node {i} is not in the graph's 0..{graph.NumNodes - 1}");
        foreach (int i in labelled)
            if (graph.Labels[i] < 0 || graph.Labels[i] >= Card.NumClasses)
                throw new ArgumentException($"labelled node {i} has label {graph.Labels[i]}; the model has classes 0..{Card.NumClasses - 1}", nameof(graph));
    }

    /// <summary>The model of a finished run, its layers' convs taken over.</summary>
    internal static ForwardForwardModel FromRun(RunContext c, string algorithm, ForwardForwardInput input, LocalLayers layers,
        ForwardForwardTrainer trainer, float[]? classFeatures)
    {
        var options = new Dictionary<string, double> { [ThetaOption] = trainer.Theta };
        if (input == ForwardForwardInput.VirtualNodes) options[ProjectedOnceOption] = trainer.TestInputProjectedOnce ? 1 : 0;
        return new ForwardForwardModel(c.Card(algorithm) with { Options = options }, input, layers.Select(l => l.TakeConv()).ToArray(), classFeatures);
    }

    internal static ForwardForwardModel Restore(ModelCard card, WeightSource weights, ForwardForwardInput input)
    {
        bool appending = input == ForwardForwardInput.LabelAppending;
        float[]? classFeatures = appending ? null : ClassFeaturesOf(card, weights);
        GraphConv[] convs = weights.Convs(card.Gnn, appending ? card.NumFeatures + card.NumClasses : card.NumFeatures, card.Hidden, card.Layers);
        return new ForwardForwardModel(card, input, convs, classFeatures);
    }

    /// <summary>The streams of one inference and the graphs they run on (released with them).</summary>
    private sealed class Streams(FeedStream[] all, IReadOnlyList<GraphTensors> graphs) : IDisposable
    {
        public FeedStream[] All { get; } = all;

        public void Dispose()
        {
            foreach (GraphTensors graph in graphs) graph.Dispose();
        }
    }
}
