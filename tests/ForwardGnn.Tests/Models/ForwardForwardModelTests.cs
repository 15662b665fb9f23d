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
/// Forward-forward node models (FF-LA, FF-VN, FF-SymBa) beyond the two-layer cases of <see cref="GnnModelTests"/>: other
/// depths, and a graph whose few dense features make layer 1 aggregate each candidate's input instead of projecting
/// the common input once; in each the model reproduces the run's test accuracy exactly.
/// </summary>
public class ForwardForwardModelTests
{
    private static (RunResult Result, NodeSplit Split) Train(GraphDataset data, string algo, GnnKind gnn, int layers)
    {
        var config = new TrainConfig { Dataset = data.Name, Algo = algo, Gnn = gnn, Layers = layers, Epochs = 6, Threads = 1, Lr = 0.01 };
        RunResult result = new Experiment(data, SharedData.Roots, config, CPU).RunSplit(0, keepModel: true);
        return (result, OfficialSplits.Load(SharedData.Roots, data, 0));
    }

    private static void AssertReproduces(GraphDataset data, RunResult result, NodeSplit split)
    {
        using GnnModel model = result.Model!;
        Assert.IsType<ForwardForwardModel>(model);
        Assert.Equal(result.Test, model.Predict(data, split.Test, model.LabelledForTest(split)).Accuracy(data.Labels));
    }

    [Theory]
    [InlineData("ff-la", 1)]
    [InlineData("ff-la", 3)]
    [InlineData("ff-vn", 1)]
    [InlineData("ff-vn", 3)]
    [InlineData("symba", 3)]
    public void ModelReproducesItsTestAccuracyAtOtherDepths(string algo, int layers)
    {
        GraphDataset data = SharedData.Load("cora_ml");
        (RunResult result, NodeSplit split) = Train(data, algo, GnnKind.Gcn, layers);
        AssertReproduces(data, result, split);
    }

    [Theory]
    [InlineData(GnnKind.Gcn, 1)]
    [InlineData(GnnKind.Sage, 2)]
    public void VirtualNodeModelOnFewDenseFeaturesTakesTheRunsLayerOnePath(GnnKind gnn, int layers)
    {
        GraphDataset data = WithDenseFeatures(SharedData.Load("cora_ml"), 6);
        (RunResult result, NodeSplit split) = Train(data, "ff-vn", gnn, layers);
        Assert.Equal(0, result.Model!.Card.Options["layer1-projected-once"]);   // aggregating first is cheaper here
        AssertReproduces(data, result, split);
    }

    [Fact]
    public void PredictionWithoutNodesQueriesEveryUnlabelledNodeAndEmbeddingsConcatenateTheLayers()
    {
        GraphDataset data = SharedData.Load("cora_ml");
        (RunResult result, NodeSplit split) = Train(data, "ff-la", GnnKind.Gcn, 2);
        using GnnModel model = result.Model!;
        IReadOnlyCollection<int> labelled = model.LabelledForTest(split);
        NodePredictions all = model.Predict(data, labelled: labelled);
        Assert.Equal(split.Test.Order(), all.Nodes.Order());
        Assert.Equal(data.NumNodes * 2 * model.Card.Hidden, model.Embed(data, labelled: labelled).Values.Length);
        Assert.Equal(model.Card.Hidden, model.Embed(data, layer: 1).Columns);
    }

    /// <summary><paramref name="data"/> with <paramref name="columns"/> dense, label-correlated features per node (row sums 1).</summary>
    private static GraphDataset WithDenseFeatures(GraphDataset data, int columns)
    {
        var random = new Random(5);
        float[] values = new float[data.NumNodes * columns];
        for (int i = 0; i < data.NumNodes; i++)
        {
            Span<float> row = values.AsSpan(i * columns, columns);
            for (int k = 0; k < columns; k++) row[k] = (float)random.NextDouble() + (k == data.Labels[i] % columns ? 1f : 0f);
            float sum = 0;
            foreach (float v in row) sum += v;
            for (int k = 0; k < columns; k++) row[k] /= sum;
        }
        int[] pointer = Enumerable.Range(0, data.NumNodes + 1).Select(i => i * columns).ToArray();
        int[] index = Enumerable.Range(0, values.Length).Select(k => k % columns).ToArray();
        return data with { Features = new CsrMatrix(data.NumNodes, columns, pointer, index, values) };
    }
}
