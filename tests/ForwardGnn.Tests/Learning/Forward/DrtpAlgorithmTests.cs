using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using ForwardGnn.Learning.Backprop;
using ForwardGnn.Learning.Forward;
using ForwardGnn.Training;
using ForwardGnn.Tests.Support;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Learning.Forward;

/// <remarks>Serial: the layer-locality case builds two networks from one seed of libtorch's global generator and needs
/// both builds' draws (weights, B_ℓ) undisturbed by tests running beside it.</remarks>
[Collection(SerialCollection.Name)]
public class DrtpAlgorithmTests
{
    /// <summary>A 5-node path 0–1–2–3–4 plus the edge 0–2, both directions.</summary>
    private static readonly EdgeIndex Edges = EdgeIndex.Build(5, [0, 1, 1, 2, 2, 3, 3, 4, 0, 2], [1, 0, 2, 1, 3, 2, 4, 3, 2, 0]);

    private static Tensor X() => tensor(new float[] { 1, 0, 2, 0, 1, 1, 3, 1, 0, 0, 2, 1, 1, 1, 1 }, [5, 3]).div(4);

    [Fact]
    public void UpdateOfATwoLayerGcnMatchesADenseHandComputation()
    {
        using var scope = NewDisposeScope();
        manual_seed(21);
        var gnn = new BasicGnn(GnnKind.Gcn, 3, 4, 2, 2);
        Tensor train = tensor(new long[] { 0, 1, 3 }), labels = tensor(new long[] { 0, 0, 1 });
        var rule = new DrtpRule(gnn, 2, labels, lr: 0.01, weightDecay: 5e-4);
        using var graph = new GraphTensors(Edges, CPU);
        Parameter[] p = gnn.parameters().ToArray();   // conv1 weight [4, 3], bias [4]; conv2 weight [2, 4], bias [2]
        Tensor w1 = p[0].detach().clone(), b1 = p[1].detach().clone(), w2 = p[2].detach().clone(), b2 = p[3].detach().clone();
        Tensor x = X();

        rule.Step(x, graph, train);

        // Dense reference with Â = D^−½(A + I)D^−½ and Y the training nodes' one-hot labels [3, 2]:
        //   hidden: a₁ = Â x W₁ᵀ + b₁, h₁ = ReLU(a₁), loss mean over the 3 nodes of ‖h₁[i] − y_i B₁‖², so
        //           dh₁[train] = 2 (h₁[train] − Y B₁) / 3, da₁ = dh₁ ⊙ [a₁ > 0], dW₁ = da₁ᵀ Â x, db₁ = Σ_rows da₁;
        //   output: a₂ = Â h₁ W₂ᵀ + b₂ with h₁ held fixed, mean CE, so da₂[train] = (softmax(a₂[train]) − Y) / 3,
        //           dW₂ = da₂ᵀ Â h₁, db₂ = Σ_rows da₂.
        var dense = new float[25];
        foreach ((int s, int t) in Edges.Source.Zip(Edges.Target)) dense[t * 5 + s] = 1;
        for (int i = 0; i < 5; i++) dense[i * 5 + i] = 1;
        Tensor a = tensor(dense, [5, 5]);
        Tensor dInv = a.sum(1L, false).rsqrt();
        Tensor aHat = dInv.unsqueeze(1).mul(a).mul(dInv.unsqueeze(0));
        Tensor y = nn.functional.one_hot(labels, 2).to(float32);
        Tensor ax = aHat.matmul(x);
        Tensor a1 = ax.matmul(w1.t()).add(b1);
        Tensor h1 = a1.relu();
        Tensor dh1 = zeros(5, 4).index_copy(0, train, h1.index_select(0, train).sub(y.matmul(rule.Projections[0])).mul(2.0 / 3));
        Tensor da1 = dh1.mul(a1.gt(0).to(float32));
        Tensor ah = aHat.matmul(h1);
        Tensor a2 = ah.matmul(w2.t()).add(b2);
        Tensor da2 = zeros(5, 2).index_copy(0, train, a2.index_select(0, train).softmax(1).sub(y).div(3));
        Assert.True(a1.gt(0).any().item<bool>() && a1.le(0).any().item<bool>(), "the case exercises both sides of the ReLU");

        Assert.True(p[0].grad!.allclose(da1.t().matmul(ax), rtol: 1e-5, atol: 1e-7), "hidden weight update");
        Assert.True(p[1].grad!.allclose(da1.sum(0L, false), rtol: 1e-5, atol: 1e-7), "hidden bias update");
        Assert.True(p[2].grad!.allclose(da2.t().matmul(ah), rtol: 1e-5, atol: 1e-7), "output weight update");
        Assert.True(p[3].grad!.allclose(da2.sum(0L, false), rtol: 1e-5, atol: 1e-7), "output bias update");
    }

    [Theory]
    [InlineData(GnnKind.Gcn)]
    [InlineData(GnnKind.Sage)]
    [InlineData(GnnKind.Gat)]
    public void NoGradientCrossesALayerBoundary(GnnKind kind)
    {
        // Two 3-layer networks with the same layer 1 and B₁ but different layers above: layer 1 learns the same bits.
        using var scope = NewDisposeScope();
        Tensor train = tensor(new long[] { 0, 1, 3 }), labels = tensor(new long[] { 0, 0, 1 });
        (BasicGnn Gnn, DrtpRule Rule) Build()
        {
            manual_seed(8);
            var gnn = new BasicGnn(kind, 3, 4, 3, 2);
            return (gnn, new DrtpRule(gnn, 2, labels, lr: 0.01, weightDecay: 5e-4));
        }
        (BasicGnn one, DrtpRule oneRule) = Build();
        (BasicGnn other, DrtpRule otherRule) = Build();
        using (no_grad())
            foreach (GraphConv conv in other.Convs.Skip(1))
                foreach (Parameter q in conv.parameters()) q.copy_(randn_like(q));
        Tensor[] before = one.Convs[0].parameters().Select(q => q.detach().clone()).ToArray();
        using var graph = new GraphTensors(Edges, CPU);

        for (int step = 0; step < 3; step++)
        {
            oneRule.Step(X(), graph, train);
            otherRule.Step(X(), graph, train);
        }

        Parameter[] mine = one.Convs[0].parameters().ToArray();
        Assert.All(mine.Zip(other.Convs[0].parameters()), q => Assert.True(q.First.eq(q.Second).all().item<bool>(), "layer 1 learned from the layers above"));
        Assert.Contains(mine.Zip(before), q => !q.First.allclose(q.Second, 0, 0));
    }

    [Fact]
    public void LearnsAnSbmGraphAndKeepsTheLiveTensorCountFlat()
    {
        (RunResult result, List<long> live) = SbmRun.CountingLiveTensors("drtp", epochs: 160);

        Assert.Equal(80, live.Count);
        Assert.All(live.Skip(1), n => Assert.Equal(live[1], n));
        Assert.InRange(result.Test, 60, 100);   // 3 classes: chance is about 33 %
    }
}
