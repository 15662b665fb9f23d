using ForwardGnn.Cli.Protocol;
using ForwardGnn.Data;
using ForwardGnn.Data.Splits;
using ForwardGnn.Layers;
using ForwardGnn.Models;
using ForwardGnn.Training;
using ForwardGnn.Tests.Support;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Models;

/// <summary>
/// Every algorithm that returns a model: the model reproduces the test metric its run reported (its rule is the run's
/// evaluation), and a saved-then-loaded model gives bit-identical predictions, scores and embeddings.
/// </summary>
public class GnnModelTests
{
    private static RunResult Train(string algo, TaskKind task, GnnKind gnn, int layers = 2)
    {
        GraphDataset data = SharedData.Load("cora_ml");
        var config = new TrainConfig
        {
            Dataset = data.Name, Algo = algo, Task = task, Gnn = gnn, Layers = layers, Epochs = 6, Threads = 1, Lr = 0.01,
        };
        return new Experiment(data, SharedData.Roots, config, CPU).RunSplit(0, keepModel: true);
    }

    [Theory]
    [InlineData("bp", GnnKind.Gcn)]
    [InlineData("bp", GnnKind.Sage)]
    [InlineData("bp", GnnKind.Gat)]
    [InlineData("sf", GnnKind.Gcn)]
    [InlineData("sf", GnnKind.Sage)]
    [InlineData("sf", GnnKind.Gat)]
    [InlineData("cafo", GnnKind.Gcn)]
    [InlineData("cafo", GnnKind.Sage)]
    [InlineData("cafo", GnnKind.Gat)]
    [InlineData("pepita", GnnKind.Gcn)]
    [InlineData("pepita-adam", GnnKind.Sage)]
    [InlineData("ff-la", GnnKind.Gcn)]
    [InlineData("ff-la", GnnKind.Sage)]
    [InlineData("ff-la", GnnKind.Gat)]
    [InlineData("ff-vn", GnnKind.Gcn)]
    [InlineData("ff-vn", GnnKind.Sage)]
    [InlineData("ff-vn", GnnKind.Gat)]
    [InlineData("symba", GnnKind.Gcn)]
    [InlineData("symba", GnnKind.Sage)]
    [InlineData("symba", GnnKind.Gat)]
    [InlineData("sf-t2l", GnnKind.Gcn)]
    [InlineData("sf-t2l", GnnKind.Sage)]
    [InlineData("sf-t2l", GnnKind.Gat)]
    [InlineData("sf-t2i", GnnKind.Gcn)]
    [InlineData("sf-t2i", GnnKind.Sage)]
    [InlineData("sf-t2i", GnnKind.Gat)]
    [InlineData("mono-forward", GnnKind.Gcn)]
    [InlineData("mono-forward", GnnKind.Sage)]
    [InlineData("mono-forward", GnnKind.Gat)]
    [InlineData("drtp", GnnKind.Gcn)]
    [InlineData("drtp", GnnKind.Sage)]
    [InlineData("drtp", GnnKind.Gat)]
    [InlineData("dfa", GnnKind.Gcn)]
    [InlineData("dfa", GnnKind.Sage)]
    [InlineData("dfa", GnnKind.Gat)]
    public void NodeModelReproducesItsTestAccuracyAndSurvivesSaveLoad(string algo, GnnKind gnn)
    {
        GraphDataset data = SharedData.Load("cora_ml");
        NodeSplit split = OfficialSplits.Load(SharedData.Roots, data, 0);
        RunResult result = Train(algo, TaskKind.Node, gnn);
        using GnnModel model = result.Model!;
        NodePredictions predicted = model.Predict(data, split.Test, model.LabelledForTest(split));
        Assert.Equal(result.Test, predicted.Accuracy(data.Labels));

        using var dir = new TempDir();
        model.Save(dir.Path);
        using GnnModel loaded = GnnModel.Load(dir.Path);
        Assert.Equal(model.Card with { }, loaded.Card with { Options = model.Card.Options });
        NodePredictions again = loaded.Predict(data, split.Test, loaded.LabelledForTest(split));
        Assert.Equal(predicted.Classes, again.Classes);
        Assert.Equal(predicted.Scores, again.Scores);
        Assert.Equal(model.Embed(data).Values, loaded.Embed(data).Values);
    }

    [Theory]
    [InlineData("bp", GnnKind.Gcn)]
    [InlineData("bp", GnnKind.Sage)]
    [InlineData("bp", GnnKind.Gat)]
    [InlineData("fl-ce", GnnKind.Gcn)]
    [InlineData("fl-ce", GnnKind.Sage)]
    [InlineData("fl-ce", GnnKind.Gat)]
    [InlineData("fl-ff", GnnKind.Gcn)]
    [InlineData("fl-ff", GnnKind.Sage)]
    [InlineData("fl-ff", GnnKind.Gat)]
    [InlineData("fl-symba", GnnKind.Gcn)]
    [InlineData("cafo", GnnKind.Gcn)]
    [InlineData("cafo", GnnKind.Gat)]
    [InlineData("fl-ce-t2i", GnnKind.Gcn)]
    [InlineData("fl-ce-t2i", GnnKind.Sage)]
    [InlineData("fl-ce-t2i", GnnKind.Gat)]
    public void LinkModelReproducesItsTestAucAndSurvivesSaveLoad(string algo, GnnKind gnn)
    {
        GraphDataset data = SharedData.Load("cora_ml");
        EdgeSplit split = RandomLinkSplit.Generate(data.Edges, 0);
        GraphDataset testGraph = data with { Edges = split.TestGraph };
        RunResult result = Train(algo, TaskKind.Link, gnn);
        using GnnModel model = result.Model!;
        float[] scores = model.ScorePairs(testGraph, split.Test.Source, split.Test.Target);
        Assert.Equal(result.Test, Metrics.RocAuc(scores, split.Test.Label));

        using var dir = new TempDir();
        model.Save(dir.Path);
        using GnnModel loaded = GnnModel.Load(dir.Path);
        Assert.Equal(scores, loaded.ScorePairs(testGraph, split.Test.Source, split.Test.Target));
        Assert.Equal(model.Embed(testGraph, layer: 1).Values, loaded.Embed(testGraph, layer: 1).Values);
    }

    [Theory]
    [InlineData("sf-t2l", TaskKind.Node)]
    [InlineData("sf-t2i", TaskKind.Node)]
    [InlineData("fl-ce-t2i", TaskKind.Link)]
    public void TopDownModelEmbedsItsLayersSideBySide(string algo, TaskKind task)
    {
        GraphDataset data = SharedData.Load("cora_ml");
        using GnnModel model = Train(algo, task, GnnKind.Gcn).Model!;
        int[] labelled = task == TaskKind.Node ? OfficialSplits.Load(SharedData.Roots, data, 0).Train : [];
        int hidden = model.Card.Hidden;
        NodeEmbeddings all = model.Embed(data, labelled: labelled);
        Assert.Equal((data.NumNodes, 2 * hidden), (all.Rows, all.Columns));
        for (int layer = 1; layer <= 2; layer++)
        {
            NodeEmbeddings one = model.Embed(data, layer, labelled);
            Assert.Equal((data.NumNodes, hidden), (one.Rows, one.Columns));
            for (int i = 0; i < data.NumNodes; i += 97)
                Assert.Equal(one.Row(i).ToArray(), all.Row(i).Slice((layer - 1) * hidden, hidden).ToArray());
        }
    }

    /// <summary>A rule's knob reaches the run and its model: the model keeps it and still reproduces the run's test metric.</summary>
    [Theory]
    [InlineData("sf", "temperature", 0.5)]
    [InlineData("sf-t2i", "temperature", 0.5)]
    [InlineData("sf-t2l", "temperature", 0.5)]
    [InlineData("ff-vn", "theta", 1.0)]
    [InlineData("ff-la", "theta", 1.0)]
    [InlineData("sf-t2i", "test_time_steps", 5)]
    public void NodeRuleKnobsReachTheModel(string algo, string option, double value)
    {
        GraphDataset data = SharedData.Load("cora_ml");
        NodeSplit split = OfficialSplits.Load(SharedData.Roots, data, 0);
        ForwardOptions knobs = option switch
        {
            "temperature" => new ForwardOptions { Temperature = value },
            "theta" => new ForwardOptions { Theta = value },
            _ => new ForwardOptions { TestTimeSteps = (int)value },
        };
        var config = new TrainConfig { Algo = algo, Layers = 2, Epochs = 6, Threads = 1, Lr = 0.01, Forward = knobs };
        using GnnModel model = Trainer.TrainNodeClassifier(data, split, config);
        Assert.Equal(value, model.Card.Options[option]);
        Assert.Equal(model.Card.TrainedOn!.Test, model.Predict(data, split.Test, model.LabelledForTest(split)).Accuracy(data.Labels));
        using GnnModel plain = Trainer.TrainNodeClassifier(data, split, config with { Forward = new ForwardOptions() });
        Assert.NotEqual(plain.Predict(data, split.Test, plain.LabelledForTest(split)).Scores, model.Predict(data, split.Test, model.LabelledForTest(split)).Scores);
    }

    [Theory]
    [InlineData("fl-ff", "theta", 1.0)]
    [InlineData("fl-ce-t2i", "test_time_steps", 5)]
    public void LinkRuleKnobsReachTheModel(string algo, string option, double value)
    {
        GraphDataset data = SharedData.Load("cora_ml");
        EdgeSplit split = RandomLinkSplit.Generate(data.Edges, 0);
        ForwardOptions knobs = option == "theta" ? new ForwardOptions { Theta = value } : new ForwardOptions { TestTimeSteps = (int)value };
        var config = new TrainConfig { Algo = algo, Layers = 2, Epochs = 6, Threads = 1, Lr = 0.01, Forward = knobs };
        using GnnModel model = Trainer.TrainLinkPredictor(data, split, config);
        Assert.Equal(value, model.Card.Options[option]);
        float[] scores = model.ScorePairs(data with { Edges = split.TestGraph }, split.Test.Source, split.Test.Target);
        Assert.Equal(model.Card.TrainedOn!.Test, Metrics.RocAuc(scores, split.Test.Label));
    }

    [Fact]
    public void GradientCapChangesTopToLossTraining()
    {
        GraphDataset data = SharedData.Load("cora_ml");
        NodeSplit split = OfficialSplits.Load(SharedData.Roots, data, 0);
        var config = new TrainConfig { Algo = "sf-t2l", Layers = 2, Epochs = 6, Threads = 1, Lr = 0.01 };
        using GnnModel capped = Trainer.TrainNodeClassifier(data, split, config with { Forward = new ForwardOptions { GradMaxNorm = 0.01 } });
        using GnnModel plain = Trainer.TrainNodeClassifier(data, split, config);
        Assert.NotEqual(plain.Embed(data, layer: 1).Values, capped.Embed(data, layer: 1).Values);
    }

    [Fact]
    public void ModelOfOtherFeatureCountIsRefusedWithTheGraphNamed()
    {
        GraphDataset cora = SharedData.Load("cora_ml");
        using GnnModel model = Train("sf", TaskKind.Node, GnnKind.Gcn, layers: 1).Model!;
        GraphDataset citeseer = SharedData.Load("citeseer");
        var e = Assert.Throws<DataFormatException>(() => model.Predict(citeseer));
        Assert.Contains("602 features", e.Message);
        Assert.Equal(cora.NumFeatures, model.Card.NumFeatures);
    }

    [Fact]
    public void NewerFormatVersionIsRefused()
    {
        using GnnModel model = Train("bp", TaskKind.Node, GnnKind.Gcn, layers: 1).Model!;
        using var dir = new TempDir();
        model.Save(dir.Path);
        string card = Path.Combine(dir.Path, GnnModel.CardFileName);
        File.WriteAllText(card, File.ReadAllText(card).Replace("\"formatVersion\": 1", "\"formatVersion\": 99"));
        var e = Assert.Throws<DataFormatException>(() => GnnModel.Load(dir.Path));
        Assert.Contains("format version 99", e.Message);
    }

    [Theory]
    [InlineData("bp")]
    [InlineData("sf")]
    public void ModelTrainedWithoutAFifthOfTheNodesPredictsThemOnTheFullGraph(string algo)
    {
        GraphDataset full = SharedData.Load("cora_ml");
        int[] kept = Enumerable.Range(0, full.NumNodes).Where(i => i % 5 != 0).ToArray();
        GraphDataset part = Subgraph(full, kept);
        var config = new TrainConfig { Dataset = part.Name, Algo = algo, Layers = 2, Epochs = 60, Lr = 0.01, Threads = 1 };
        RunResult result = new Experiment(part, SharedData.Roots, config, CPU).RunSplit(0, keepModel: true);
        using GnnModel model = result.Model!;

        NodeSplit split = NodeSplits.Generate(part.NumNodes, 0);
        int[] labelled = model.LabelledForTest(split).Select(i => kept[i]).ToArray();   // the same nodes, in the full graph's ids
        int[] unseen = Enumerable.Range(0, full.NumNodes).Where(i => i % 5 == 0).ToArray();
        NodePredictions predicted = model.Predict(full, unseen, labelled);
        Assert.Equal(unseen, predicted.Nodes);
        Assert.InRange(predicted.Accuracy(full.Labels), 70, 100);
    }

    /// <summary>The graph induced by <paramref name="kept"/>, renumbered 0..|kept|−1 in order.</summary>
    private static GraphDataset Subgraph(GraphDataset data, int[] kept)
    {
        var newId = Enumerable.Repeat(-1, data.NumNodes).ToArray();
        for (int i = 0; i < kept.Length; i++) newId[kept[i]] = i;
        var source = new List<int>();
        var target = new List<int>();
        for (int e = 0; e < data.Edges.Count; e++)
            if (newId[data.Edges.Source[e]] >= 0 && newId[data.Edges.Target[e]] >= 0)
            {
                source.Add(newId[data.Edges.Source[e]]);
                target.Add(newId[data.Edges.Target[e]]);
            }
        CsrMatrix x = data.Features;
        var pointer = new List<int> { 0 };
        var index = new List<int>();
        var values = new List<float>();
        foreach (int i in kept)
        {
            for (int k = x.RowPointer[i]; k < x.RowPointer[i + 1]; k++)
            {
                index.Add(x.ColumnIndex[k]);
                values.Add(x.Values[k]);
            }
            pointer.Add(index.Count);
        }
        return data with
        {
            Name = "Cora_ML-four-fifths",
            Features = new CsrMatrix(kept.Length, x.Columns, [.. pointer], [.. index], [.. values]),
            Labels = kept.Select(i => data.Labels[i]).ToArray(),
            Edges = Graphs.EdgeIndex.Build(kept.Length, source.ToArray(), target.ToArray()),
        };
    }
}
