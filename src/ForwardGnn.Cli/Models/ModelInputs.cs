using System.CommandLine;
using ForwardGnn.Cli.Commands;
using ForwardGnn.Cli.Protocol;
using ForwardGnn.Data;
using ForwardGnn.Data.Splits;
using ForwardGnn.Models;
using ForwardGnn.Training;

namespace ForwardGnn.Cli.Models;

/// <summary>
/// What <c>predict</c>, <c>embed</c> and <c>score</c> share: the model folder, the dataset to apply it to (by default the
/// one it was trained on) and the split whose parts <c>--nodes</c>, <c>--pairs</c> and the message-passing graph refer to
/// (by default the one it was trained on).
/// </summary>
internal sealed class ModelInputs
{
    public static readonly Option<string> Model = new("--model")
    {
        Description = "A model folder: a train --out folder (or one of its models/split<N>), or a --save folder", Required = true,
    };
    public static readonly Option<string?> Dataset = new("--dataset") { Description = "Dataset name, alias or path [the one the model was trained on]" };
    public static readonly Option<int?> Split = new("--split") { Description = "Split whose parts --nodes/--pairs name [the one the model was trained on]" };
    public static readonly Option<string?> DataRoot = CommonOptions.DataRoot();
    public static readonly Option<bool> NoDownload = CommonOptions.NoDownload();

    public static IEnumerable<Option> Options => [Model, Dataset, Split, DataRoot, NoDownload];

    private ModelInputs(GnnModel model, GraphDataset data, DataRoots roots, int split)
    {
        Loaded = model;
        Data = data;
        Roots = roots;
        SplitIndex = split;
    }

    public GnnModel Loaded { get; }
    public GraphDataset Data { get; }
    public DataRoots Roots { get; }
    public int SplitIndex { get; }

    /// <summary>The dataset is the one the model was trained on (so its split's held-out parts stay held out).</summary>
    public bool IsTrainingData => Loaded.Card.TrainedOn?.Dataset == Data.Name;

    public static ModelInputs Read(ParseResult parse)
    {
        GnnModel model = GnnModel.Load(ModelFolder.Resolve(parse.GetValue(Model)!));
        string dataset = parse.GetValue(Dataset) ?? model.Card.TrainedOn?.Dataset
            ?? throw new UsageException("the model does not say what it was trained on; give --dataset");
        DataRoots roots = DataRootSearch.Resolve(parse.GetValue(DataRoot));
        GraphDataset data = new DatasetLoader(roots, parse.GetValue(NoDownload) ? null : Downloads.Create()).Load(dataset);
        int split = parse.GetValue(Split) ?? model.Card.TrainedOn?.Split ?? 0;
        return new ModelInputs(model, data, roots, split);
    }

    /// <summary>Throws unless the model is for <paramref name="task"/>.</summary>
    public void Require(TaskKind task, string command)
    {
        if (Loaded.Card.Task != task)
            throw new UsageException($"{command} needs a {task.ToString().ToLowerInvariant()} model; this {Loaded.Card.Algorithm} model " +
                (task == TaskKind.Link ? "classifies nodes and does not score links (use predict)" : "scores links (use score)"));
    }

    public NodeSplit NodeSplit() => OfficialSplits.Load(Roots, Data, SplitIndex);

    private EdgeSplit? _edgeSplit;

    /// <summary>The split's edge split, drawn once per command (negative sampling is the expensive part).</summary>
    public EdgeSplit EdgeSplit() => _edgeSplit ??= RandomLinkSplit.Generate(Data.Edges, SplitIndex);

    /// <summary>
    /// The graph a link model passes messages over: on its training dataset, the split's train ∪ val edges (the test
    /// evaluation's graph, so held-out test edges stay unseen); on another graph, all its edges.
    /// </summary>
    public GraphDataset LinkGraph() =>
        Loaded.Card.Task == TaskKind.Link && IsTrainingData ? Data with { Edges = EdgeSplit().TestGraph } : Data;
}
