using ForwardGnn.Data;
using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using ForwardGnn.Learning;
using ForwardGnn.Learning.Forward;
using ForwardGnn.Training;
using ForwardGnn.Tests.Support;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Learning.Forward;

public class MonoForwardAlgorithmTests
{
    /// <summary>A 5-node path 0–1–2–3–4 plus the edge 0–2, 3 features, 2 classes; nodes 0, 1, 3 train.</summary>
    private static GraphDataset Tiny() => new("tiny",
        CsrMatrix.FromDense(5, 3, [1, 0, 2, 0, 1, 1, 3, 1, 0, 0, 2, 1, 1, 1, 1]), [0, 0, 1, 1, 1], 2,
        EdgeIndex.Build(5, [0, 1, 1, 2, 2, 3, 3, 4, 0, 2], [1, 0, 2, 1, 3, 2, 4, 3, 2, 0]), "");

    private static readonly long[] TinyTrain = [0, 1, 3];

    [Fact]
    public void UpdateOfOneLayerMatchesADenseHandComputation()
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        GraphDataset data = Tiny();
        var config = new TrainConfig { Layers = 1, Hidden = 4, Lr = 0.01 };
        using var layers = new LocalLayers(config, data.NumFeatures);
        using var stack = new MonoForwardStack(layers, data.NumClasses, config, CPU);
        using var graph = new GraphTensors(data.Edges, CPU);
        Tensor x = tensor(new float[] { 1, 0, 2, 0, 1, 1, 3, 1, 0, 0, 2, 1, 1, 1, 1 }, [5, 3]);
        Tensor features = RowNorm.Apply(x);
        Tensor train = tensor(TinyTrain), labels = tensor(new long[] { 0, 0, 1 });
        Parameter[] conv = layers[0].Conv.parameters().ToArray();   // weight [H, F], bias [H]
        Tensor w = conv[0].detach().clone(), b = conv[1].detach().clone(), m = stack.Projection(0).weight!.detach().clone();

        stack.Step(features, graph, train, labels);

        // Dense reference: Â = D^−½(A + I)D^−½, P = Â LN(X), a = P Wᵀ + b, Z = ReLU(a), G = Z[train] Mᵀ, mean CE over
        // the 3 training nodes. Its gradients by hand: dG = (softmax(G) − Y)/3, dM = dGᵀ Z[train], dZ[train] = dG M,
        // da = dZ ⊙ [a > 0] (zero off the training rows), dW = daᵀ P, db = Σ_rows da.
        var adjacency = new float[25];
        foreach ((int s, int t) in data.Edges.Source.Zip(data.Edges.Target)) adjacency[t * 5 + s] = 1;
        for (int i = 0; i < 5; i++) adjacency[i * 5 + i] = 1;
        Tensor a = tensor(adjacency, [5, 5]);
        Tensor dInv = a.sum(1L, false).rsqrt();
        Tensor aHat = dInv.unsqueeze(1).mul(a).mul(dInv.unsqueeze(0));
        Tensor p = aHat.matmul(features);
        Tensor pre = p.matmul(w.t()).add(b);
        Tensor z = pre.relu();
        Tensor g = z.index_select(0, train).matmul(m.t());
        Tensor dG = g.softmax(1).sub(nn.functional.one_hot(labels, 2).to(float32)).div(3);
        Tensor dM = dG.t().matmul(z.index_select(0, train));
        Tensor dZ = zeros(5, 4).index_copy(0, train, dG.matmul(m));
        Tensor da = dZ.mul(pre.gt(0).to(float32));
        Tensor dW = da.t().matmul(p);
        Tensor dB = da.sum(0L, false);
        Assert.True(pre.gt(0).any().item<bool>() && pre.le(0).any().item<bool>(), "the case exercises both sides of the ReLU");

        Assert.True(conv[0].grad!.allclose(dW, rtol: 1e-5, atol: 1e-7), "conv weight update ");
        Assert.True(conv[1].grad!.allclose(dB, rtol: 1e-5, atol: 1e-7), "conv bias update ");
        Assert.True(stack.Projection(0).weight!.grad!.allclose(dM, rtol: 1e-5, atol: 1e-7), "projection update");
    }

    [Theory]
    [InlineData(GnnKind.Gcn)]
    [InlineData(GnnKind.Sage)]
    [InlineData(GnnKind.Gat)]
    public void NoGradientCrossesALayerBoundary(GnnKind kind)
    {
        // Layer 1 of a 2-layer stack learns exactly what it learns alone: nothing from layer 2's loss reaches it.
        using var scope = NewDisposeScope();
        manual_seed(3);
        GraphDataset data = Tiny();
        var two = new TrainConfig { Gnn = kind, Layers = 2, Hidden = 4, Lr = 0.01 };
        using var layers2 = new LocalLayers(two, data.NumFeatures);
        using var stack2 = new MonoForwardStack(layers2, 2, two, CPU);
        using var layers1 = new LocalLayers(two with { Layers = 1 }, data.NumFeatures);
        using var stack1 = new MonoForwardStack(layers1, 2, two, CPU);
        using (no_grad())
        {
            foreach ((var to, var from) in layers1[0].Conv.parameters().Zip(layers2[0].Conv.parameters())) to.copy_(from);
            stack1.Projection(0).weight!.copy_(stack2.Projection(0).weight!);
        }
        Tensor[] upperBefore = layers2[1].Conv.parameters().Select(q => q.detach().clone()).ToArray();
        using var graph = new GraphTensors(data.Edges, CPU);
        Tensor features = RowNorm.Apply(randn(5, 3).abs());
        Tensor train = tensor(TinyTrain), labels = tensor(new long[] { 0, 0, 1 });

        for (int step = 0; step < 3; step++)
        {
            stack2.Step(features, graph, train, labels);
            stack1.Step(features, graph, train, labels);
        }

        Parameter[] alone = [.. layers1[0].Conv.parameters(), stack1.Projection(0).weight!];
        Parameter[] below = [.. layers2[0].Conv.parameters(), stack2.Projection(0).weight!];
        Assert.All(alone.Zip(below), q => Assert.True(q.First.eq(q.Second).all().item<bool>(), "layer 1 learned something from layer 2"));
        Assert.Contains(layers2[1].Conv.parameters().Zip(upperBefore), q => !q.First.allclose(q.Second, 0, 0));
    }

    [Fact]
    public void LearnsAnSbmGraphAndKeepsTheLiveTensorCountFlat()
    {
        (RunResult result, List<long> live) = SbmRun.CountingLiveTensors("mono-forward", epochs: 40);

        Assert.Equal(20, live.Count);
        Assert.All(live.Skip(1), n => Assert.Equal(live[1], n));
        Assert.InRange(result.Test, 60, 100);   // 3 classes: chance is about 33 %
        Assert.Null(result.PerDepth);
    }
}
