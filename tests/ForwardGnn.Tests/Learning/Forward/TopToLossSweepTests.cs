using ForwardGnn.Cli.Protocol;
using ForwardGnn.Data;
using ForwardGnn.Data.Splits;
using ForwardGnn.Layers;
using ForwardGnn.Learning;
using ForwardGnn.Learning.Forward;
using ForwardGnn.Tests.Support;
using ForwardGnn.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Learning.Forward;

public class TopToLossSweepTests
{
    /// <summary>T2L_predict written as spec §4.5 says: bottom_up() from the raw features, then z_ℓ = g_ℓ(s_ℓ₋₁) and
    /// the softmax of the scores of mean(z_ℓ, s_ℓ₊₁..s_L) on the full [N + C] rows, summed over the layers.</summary>
    private static Tensor LiteralVotes(IReadOnlyList<GraphConv> convs, SingleForwardGraph setup, Tensor raw, Tensor normalized, Tensor subset)
    {
        int depth = convs.Count;
        Tensor G(int l, Tensor input) => nn.functional.relu(convs[l - 1].call(input, setup.Graph));
        var s = new Tensor[depth + 1];
        s[0] = normalized;
        Tensor u = raw;
        for (int l = 1; l <= depth; l++) s[l] = RowNorm.Apply(u = G(l, u));
        Tensor votes = zeros(subset.shape[0], setup.Nodes.NumClasses);
        for (int l = 1; l <= depth; l++)
        {
            Tensor m = stack([G(l, s[l - 1]), .. s[(l + 1)..]]).mean([0]);
            votes = votes.add(SingleForwardAlgorithm.Scores(m, subset, setup.Nodes.Virtual).softmax(1));
        }
        return votes;
    }

    [Theory]
    [InlineData("gcn")]
    [InlineData("sage")]
    [InlineData("gat")]
    public void VotesEqualTheLiteralPrediction(string gnn)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        GraphDataset data = SharedData.Load("citeseer");
        var config = new TrainConfig { Dataset = data.Name, Algo = "sf-t2l", Gnn = GnnLayers.Parse(gnn), Layers = 3, Threads = 1 };
        var context = new RunContext(data, config, 0, PaperProtocol.RunSeed(config.Seed, 0), CPU) { NodeSplit = OfficialSplits.Load(SharedData.Roots, data, 0) };
        manual_seed(7);
        using var layers = new LocalLayers(config, data.NumFeatures, normalizeInput: false);
        using var setup = new SingleForwardGraph(context);
        GraphConv[] convs = layers.Select(l => l.Conv).ToArray();
        Tensor raw = SparseFeatures.Create(setup.Augmenter.Features, CPU);
        Tensor normalized = setup.NormalizedFeatures();
        var sweep = new TopToLossSweep(convs, setup, raw, normalized);

        Tensor expected = LiteralVotes(convs, setup, raw, normalized, setup.Nodes.Val);
        Tensor votes = sweep.Votes(setup.Nodes.Val);
        Assert.True(votes.allclose(expected, rtol: 1e-4, atol: 1e-5), $"max difference {(votes - expected).abs().max().item<float>()}");
        Assert.Equal(SingleForwardGraph.Accuracy(expected, setup.Nodes.ValLabels), sweep.Accuracy(setup.Nodes.Val, setup.Nodes.ValLabels));
    }
}
