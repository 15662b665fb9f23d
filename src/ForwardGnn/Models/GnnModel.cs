using System.Text.Json;
using System.Text.Json.Serialization;
using ForwardGnn.Data;
using ForwardGnn.Data.Splits;
using ForwardGnn.Layers;
using ForwardGnn.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Models;

/// <summary>
/// A trained GNN with its algorithm's prediction rule: what training returns, and what <see cref="Save"/> and
/// <see cref="Load"/> store and restore bit for bit. A node model predicts classes (<see cref="Predict"/>), a link model
/// scores node pairs (<see cref="ScorePairs"/>); both embed nodes (<see cref="Embed"/>). Inputs are graphs whose
/// features were prepared as <see cref="ModelCard.FeatureNormalization"/> says (every loader of this library does so),
/// with <see cref="ModelCard.NumFeatures"/> columns; nodes need not be those it was trained on (inductive use).
/// Inference runs on the CPU without gradients and changes nothing in the model.
/// </summary>
public abstract class GnnModel : IDisposable
{
    /// <summary>The files of a model folder: the card (written last, it marks the folder complete) and the weights.</summary>
    public const string CardFileName = "model.json", WeightsFileName = "weights.safetensors";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower), new NonFiniteAsNullConverter() },
    };

    /// <param name="card">What the model is; its dimensions must match the weights.</param>
    protected GnnModel(ModelCard card) => Card = card;

    /// <summary>What the model is and what it was trained on.</summary>
    public ModelCard Card { get; internal set; }

    /// <summary>
    /// Class predictions for <paramref name="nodes"/> (all nodes when null) of <paramref name="graph"/>. Rules that read
    /// known labels (SF's class nodes, FF's label streams) read those of <paramref name="labelled"/>, from
    /// <c>graph.Labels</c>; <see cref="LabelledForTest"/> gives the set a run's test evaluation used. Backpropagation
    /// models ignore it.
    /// </summary>
    /// <exception cref="NotSupportedException">A link model.</exception>
    /// <exception cref="DataFormatException">The graph's feature count differs from the model's.</exception>
    public virtual NodePredictions Predict(GraphDataset graph, IReadOnlyList<int>? nodes = null, IReadOnlyCollection<int>? labelled = null) =>
        throw new NotSupportedException($"a {Card.Algorithm} model scores links; it does not classify nodes");

    /// <summary>
    /// Probabilities that the pairs (source[i], target[i]) are linked, [P], message passing over <paramref name="graph"/>'s
    /// edges (pass the graph without the edges to be predicted).
    /// </summary>
    /// <exception cref="NotSupportedException">A node model.</exception>
    public virtual float[] ScorePairs(GraphDataset graph, int[] source, int[] target) =>
        throw new NotSupportedException($"a {Card.Algorithm} model classifies nodes; it does not score links");

    /// <summary>
    /// Node representations [N, d]: the output of layer <paramref name="layer"/> (1..L), or, when null, what the
    /// prediction rule reads: the concatenation of every layer's output for layer-wise forward models, the last layer's
    /// output otherwise. <paramref name="labelled"/> as in <see cref="Predict"/>.
    /// </summary>
    public abstract NodeEmbeddings Embed(GraphDataset graph, int? layer = null, IReadOnlyCollection<int>? labelled = null);

    /// <summary>The nodes whose labels the rule read when the run scored a split's test nodes (none for backpropagation).</summary>
    public virtual IReadOnlyCollection<int> LabelledForTest(NodeSplit split) => [];

    /// <summary>The weights by name, in a fixed order (what <see cref="Save"/> stores).</summary>
    internal abstract IEnumerable<(string Name, Tensor Value)> Weights();

    /// <summary>The trained modules.</summary>
    internal abstract IEnumerable<nn.Module> Modules();

    /// <summary>Keeps the modules' tensors alive when the dispose scope they were created in ends (a run's scope).</summary>
    internal void DetachFromDisposeScopes()
    {
        foreach (nn.Module module in Modules())
            foreach ((_, Tensor value) in module.state_dict()) value.DetachFromDisposeScope();
    }

    /// <summary>
    /// Writes <see cref="CardFileName"/> and <see cref="WeightsFileName"/> into <paramref name="folder"/> (created if
    /// missing), each through a temporary file and a rename; the card is renamed last, so a folder with a card is complete.
    /// </summary>
    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        AtomicFile.Write(Path.Combine(folder, WeightsFileName), stream => SafeTensorsFile.Write(stream, Weights()));
        AtomicFile.WriteAllText(Path.Combine(folder, CardFileName), JsonSerializer.Serialize(Card, Json));
    }

    /// <summary>
    /// Builds the serializers <see cref="Save"/> uses (the card's JSON, the weights file's header) by running them once
    /// on a made-up card and tensor, into nothing. Their first use compiles code for tens of milliseconds; an app that
    /// saves at the end of training can spend that on a spare thread while it starts. Touches no tensor and no file.
    /// </summary>
    internal static void WarmSerializers()
    {
        JsonSerializer.Serialize(new ModelCard(ModelCard.CurrentFormatVersion, "warm", TaskKind.Node, GnnKind.Gcn, 1, 1, 1, 1), Json);
        SafeTensorsFile.Header([("warm", [1L], 1L)]);
    }

    /// <summary>Reads a model saved by <see cref="Save"/>.</summary>
    /// <exception cref="DataFormatException">A missing or malformed file, a newer format version, or weights that do not fit the card.</exception>
    public static GnnModel Load(string folder)
    {
        string cardPath = Path.Combine(folder, CardFileName);
        if (!File.Exists(cardPath)) throw new DataFormatException(cardPath, "not found: not a model folder (GnnModel.Save writes one)");
        ModelCard card;
        try
        {
            card = JsonSerializer.Deserialize<ModelCard>(File.ReadAllText(cardPath), Json) ?? throw new JsonException("empty");
        }
        catch (JsonException e)
        {
            throw new DataFormatException(cardPath, $"is not a model card ({e.Message})");
        }
        if (card.FormatVersion > ModelCard.CurrentFormatVersion || card.FormatVersion < 1)
            throw new DataFormatException(cardPath, $"has format version {card.FormatVersion}; this build reads up to {ModelCard.CurrentFormatVersion}");
        string weightsPath = Path.Combine(folder, WeightsFileName);
        if (!File.Exists(weightsPath)) throw new DataFormatException(weightsPath, "not found");
        Dictionary<string, Tensor> weights = SafeTensorsFile.Read(weightsPath);
        try
        {
            return ModelKinds.Restore(card, new WeightSource(weightsPath, weights));
        }
        finally
        {
            foreach (Tensor t in weights.Values) t.Dispose();
        }
    }

    /// <summary>
    /// Starts an inference on <paramref name="graph"/>: checks its feature count (and <paramref name="layer"/>, if given),
    /// turns gradients off and opens a dispose scope for the inference's tensors, all closed by disposing the result.
    /// </summary>
    private protected Inference Begin(GraphDataset graph, int? layer = null)
    {
        CheckInput(graph);
        CheckLayer(layer);
        return new Inference();
    }

    /// <summary>An inference's gradient mode and dispose scope (see <see cref="Begin"/>).</summary>
    private protected sealed class Inference : IDisposable
    {
        private readonly IDisposable _noGrad = no_grad();
        private readonly DisposeScope _scope = NewDisposeScope();

        /// <summary>Frees the inference's tensors and restores the gradient mode.</summary>
        public void Dispose()
        {
            _scope.Dispose();
            _noGrad.Dispose();
        }
    }

    /// <summary>Throws unless the graph has the model's feature count.</summary>
    protected void CheckInput(GraphDataset graph)
    {
        if (graph.NumFeatures != Card.NumFeatures)
            throw new DataFormatException(graph.SourcePath, $"has {graph.NumFeatures} features per node; the model takes {Card.NumFeatures}");
    }

    /// <summary>Throws unless <paramref name="layer"/> is null or 1..L.</summary>
    protected void CheckLayer(int? layer)
    {
        if (layer is { } k && (k < 1 || k > Card.Layers)) throw new ArgumentOutOfRangeException(nameof(layer), $"layer must be 1..{Card.Layers}");
    }

    /// <summary>The query of a prediction: <paramref name="nodes"/>, or every node of the graph when null.</summary>
    private protected static int[] Query(GraphDataset graph, IReadOnlyList<int>? nodes) =>
        nodes?.ToArray() ?? Enumerable.Range(0, graph.NumNodes).ToArray();

    /// <summary>Node ids as an index tensor, [n] (int64).</summary>
    private protected static Tensor Index(IEnumerable<int> ids) => tensor(ids.Select(i => (long)i).ToArray());

    /// <summary>
    /// The predictions for <paramref name="query"/> from the rule's scores [|query|, C]: the argmax of each row of
    /// <paramref name="decisive"/> (default: the scores themselves; BP: the logits its softmax scores come from).
    /// </summary>
    private protected NodePredictions Predictions(int[] query, Tensor scores, Tensor? decisive = null) =>
        new(query, (decisive ?? scores).argmax(1).data<long>().Select(c => (int)c).ToArray(), scores.contiguous().data<float>().ToArray(), Card.NumClasses);

    /// <summary>Pairs to score on the CPU (their labels unused).</summary>
    private protected static LinkPairs Pairs(int[] source, int[] target) =>
        LinkPairs.From(new LinkSupervision(source, target, new float[source.Length]), CPU);

    /// <summary>The first <paramref name="rows"/> rows of layer <paramref name="layer"/>'s output, or of every layer's side by side when null.</summary>
    private protected static NodeEmbeddings Embeddings(IReadOnlyList<Tensor> outputs, int? layer, int rows) =>
        Embeddings(layer is null ? cat(outputs.ToArray(), 1) : outputs[^1], rows);

    /// <summary>The first <paramref name="rows"/> rows of <paramref name="z"/> [≥ rows, d].</summary>
    private protected static NodeEmbeddings Embeddings(Tensor z, int rows)
    {
        Tensor kept = z.narrow(0, 0, rows).contiguous();
        return new NodeEmbeddings(kept.data<float>().ToArray(), rows, (int)kept.shape[1]);
    }

    /// <summary>The mean over layers of per-layer pair probabilities, summed in layer order as the runs sum them: [P].</summary>
    private protected static float[] MeanOverLayers(IEnumerable<Tensor> probabilities)
    {
        Tensor? sum = null;
        int layers = 0;
        foreach (Tensor p in probabilities)
        {
            sum = sum is null ? p : sum.add(p, Engine.HeldScalars.One);
            layers++;
        }
        return sum!.div(Engine.HeldScalars.Of(layers)).data<float>().ToArray();
    }

    /// <summary>The weights of <paramref name="convs"/> named <c>layers.{l}.{parameter}</c>.</summary>
    internal static IEnumerable<(string, Tensor)> ConvWeights(IReadOnlyList<GraphConv> convs) =>
        convs.SelectMany((conv, l) => conv.state_dict().Select(p => ($"layers.{l}.{p.Key}", p.Value)));

    /// <summary>Releases the model's tensors.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the model's tensors (override to release more; call the base).</summary>
    protected abstract void Dispose(bool disposing);
}
