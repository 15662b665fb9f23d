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

/// <remarks>Serial: the hand-checked cases seed libtorch's global generator and need its draws (weights, B_ℓ, masks) undisturbed.</remarks>
[Collection(SerialCollection.Name)]
public class DfaAlgorithmTests
{
    private static readonly EdgeIndex Edges = SixNodeGraph.Edges;

    private static Tensor X() => SixNodeGraph.X();

    private static readonly long[] Train = [0, 1, 4];
    private static readonly long[] Labels = [0, 1, 2];

    [Fact]
    public void StepMatchesADenseHandComputation()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var gnn = new BasicGnn(GnnKind.Gcn, 3, 4, 2, 3);
        Tensor train = tensor(Train), labels = tensor(Labels);
        const double alpha = 0.5, epsilon = 0.45;
        var rule = new DfaRule(gnn, 3, train, labels, lr: 0.01, weightDecay: 5e-4, alpha, steps: 3, epsilon);
        using var graph = new GraphTensors(Edges, CPU);
        Parameter[] p = gnn.parameters().ToArray();   // conv1 weight [4, 3], bias [4]; conv2 weight [3, 4], bias [3]
        Tensor w1 = p[0].detach().clone(), b1 = p[1].detach().clone(), w2 = p[2].detach().clone(), b2 = p[3].detach().clone();
        Tensor x = X();

        rule.Step(x, graph);

        // Dense reference. Forward: Â = D^−½(A + I)D^−½, a₁ = Â x W₁ᵀ + b₁, h₁ = ReLU(a₁), X₂ = Â h₁ W₂ᵀ + b₂, Ỹ = σ(X₂).
        Tensor aHat = SixNodeGraph.DenseGcnOperator();
        Tensor ax = aHat.matmul(x);
        Tensor a1 = ax.matmul(w1.t()).add(b1);
        Tensor h1 = a1.relu();
        Tensor ah = aHat.matmul(h1);
        Tensor yTilde = ah.matmul(w2.t()).add(b2).sigmoid();
        // Errors: E = Ỹ − Y on rows 0, 1, 4; three spreading steps Z ← ½E + ½ÂZ from Z = E; rows 2, 3, 5 rescaled to
        // η z / ‖z‖₁ with η the mean L1 norm of the training rows' errors; training rows keep their own error.
        Tensor y = nn.functional.one_hot(labels, 3).to(float32);
        Tensor e = zeros(6, 3).index_copy(0, train, yTilde.index_select(0, train).sub(y));
        Tensor z = e;
        for (int t = 0; t < 3; t++) z = e.mul(1 - alpha).add(aHat.matmul(z).mul(alpha));
        double eta = e.index_select(0, train).abs().sum().item<float>() / 3;
        var rows = new Tensor[6];
        for (int i = 0; i < 6; i++)
        {
            Tensor row = z[i];
            rows[i] = Train.Contains(i) ? e[i] : row.mul(eta / row.abs().sum().item<float>());
        }
        Tensor eHat = stack(rows);
        // Filter: keep node i when exactly one class of Ỹ_i − Ê_i exceeds ε = 0.45 (training rows give Y_i: kept).
        var keep = new float[6];
        Tensor corrected = yTilde.sub(eHat);
        for (int i = 0; i < 6; i++) keep[i] = corrected[i].gt(epsilon).sum().item<long>() == 1 ? 1 : 0;
        Tensor eF = eHat.mul(tensor(keep).unsqueeze(1));
        // Updates, over N = 6: output dW₂ = Ê_fᵀ Â h₁ / 6, db₂ = Σ_rows Ê_f / 6; hidden δ = (Â Ê_f B₁) ⊙ [a₁ > 0] / 6,
        // dW₁ = δᵀ Â x, db₁ = Σ_rows δ.
        Tensor delta = aHat.matmul(eF).matmul(rule.Feedback[0]).mul(a1.gt(0).to(float32)).div(6);
        Assert.True(a1.gt(0).any().item<bool>() && a1.le(0).any().item<bool>(), "the case exercises both sides of the ReLU");
        Assert.Contains(0f, keep);   // the filter drops a node here...
        Assert.Contains(keep.Where((_, i) => !Train.Contains(i)), k => k == 1);   // ...and keeps an unlabelled one

        Assert.True(p[3].grad!.allclose(eF.sum(0L, false).div(6), rtol: 1e-4, atol: 1e-7), "output bias update");
        AssertUpdates(p, eF.t().matmul(ah).div(6), delta, ax);
    }

    /// <summary>
    /// Asserts a 2-conv network's gradients: the output weight's [C, H] against <paramref name="outputWeight"/>, the
    /// hidden weight's against δᵀ Â x and its bias's against Σ_rows δ, δ [N, H] the hidden conv's pre-activation signal.
    /// </summary>
    private static void AssertUpdates(Parameter[] p, Tensor outputWeight, Tensor delta, Tensor ax)
    {
        Assert.True(p[2].grad!.allclose(outputWeight, rtol: 1e-4, atol: 1e-7), "output weight update");
        Assert.True(p[0].grad!.allclose(delta.t().matmul(ax), rtol: 1e-4, atol: 1e-7), "hidden weight update");
        Assert.True(p[1].grad!.allclose(delta.sum(0L, false), rtol: 1e-4, atol: 1e-7), "hidden bias update");
    }

    [Fact]
    public void WithDropoutTheHiddenUpdateUsesTheForwardPassMask()
    {
        // p = 0.5, L = 2: the forward gives h₁ = m₁ ⊙ ReLU(a₁) (m₁ entries 0 or 2), and the updates are those of the
        // masked network: output dW₂ = Eᵀ Â h₁ / 6; hidden δ = (Â E B₁) ⊙ [a₁ > 0] ⊙ m₁ / 6, dW₁ = δᵀ Â x, db₁ = Σ_rows δ.
        using var scope = NewDisposeScope();
        manual_seed(5);
        var gnn = new BasicGnn(GnnKind.Gcn, 3, 8, 2, 3, dropout: 0.5);
        var rule = new DfaRule(gnn, 3, tensor(Train), tensor(Labels), lr: 0.01, weightDecay: 5e-4, alpha: 0.1, steps: 0, threshold: 1);
        using var graph = new GraphTensors(Edges, CPU);
        Parameter[] p = gnn.parameters().ToArray();   // conv1 weight [8, 3], bias [8]; conv2 weight [3, 8], bias [3]
        Tensor x = X();
        var inputs = new List<Tensor> { x };
        var masks = new List<Tensor>();
        using (no_grad()) gnn.TrainingForward(x, graph, inputs, masks);
        Tensor error = randn(6, 3);

        rule.Update(inputs, error, graph, masks);

        Tensor aHat = SixNodeGraph.DenseGcnOperator();
        Tensor m1 = Assert.Single(masks);
        Tensor ax = aHat.matmul(x);
        Tensor a1 = ax.matmul(p[0].detach().t()).add(p[1].detach());
        Tensor h1 = a1.relu().mul(m1);
        Assert.True(m1.eq(0).any().item<bool>() && m1.eq(2).any().item<bool>(), "the mask drops some units and keeps others");
        Assert.True(a1.relu().mul(m1.eq(0)).ne(0).any().item<bool>(), "a dropped unit is active before the mask");
        Assert.True(inputs[1].allclose(h1, rtol: 1e-5, atol: 1e-6), "the output conv's input is the masked activation");
        Tensor delta = aHat.matmul(error).matmul(rule.Feedback[0]).mul(a1.gt(0).to(float32)).mul(m1).div(6);
        AssertUpdates(p, error.t().matmul(aHat.matmul(h1)).div(6), delta, ax);
    }

    [Fact]
    public void SoftmaxOutputTakesTheCrossEntropyError()
    {
        // With the softmax output, no pseudo errors and no filter: Ỹ = softmax(X₂), E = Ỹ − Y on rows 0, 1, 4 (0 elsewhere);
        // output dW₂ = Eᵀ Â h₁ / 6, hidden δ = (Â E B₁) ⊙ [a₁ > 0] / 6, dW₁ = δᵀ Â x; the reported loss is the mean CE.
        using var scope = NewDisposeScope();
        manual_seed(5);
        var gnn = new BasicGnn(GnnKind.Gcn, 3, 4, 2, 3);
        Tensor train = tensor(Train), labels = tensor(Labels);
        var rule = new DfaRule(gnn, 3, train, labels, lr: 0.01, weightDecay: 5e-4, alpha: 0.1, steps: 0, threshold: 1, softmax: true);
        using var graph = new GraphTensors(Edges, CPU);
        Parameter[] p = gnn.parameters().ToArray();
        Tensor w1 = p[0].detach().clone(), b1 = p[1].detach().clone(), w2 = p[2].detach().clone(), b2 = p[3].detach().clone();
        Tensor x = X();

        float loss = rule.Step(x, graph);

        Tensor aHat = SixNodeGraph.DenseGcnOperator();
        Tensor ax = aHat.matmul(x);
        Tensor a1 = ax.matmul(w1.t()).add(b1);
        Tensor ah = aHat.matmul(a1.relu());
        Tensor logits = ah.matmul(w2.t()).add(b2);
        Tensor probabilities = logits.softmax(1);
        Tensor y = nn.functional.one_hot(labels, 3).to(float32);
        Tensor e = zeros(6, 3).index_copy(0, train, probabilities.index_select(0, train).sub(y));
        double crossEntropy = -probabilities.index_select(0, train).mul(y).sum(1L, false).log().mean().item<float>();
        Tensor delta = aHat.matmul(e).matmul(rule.Feedback[0]).mul(a1.gt(0).to(float32)).div(6);
        Assert.True(a1.gt(0).any().item<bool>() && a1.le(0).any().item<bool>(), "the case exercises both sides of the ReLU");

        Assert.Equal(crossEntropy, loss, 5);
        AssertUpdates(p, e.t().matmul(ah).div(6), delta, ax);
    }

    [Theory]
    [InlineData(GnnKind.Gcn)]
    [InlineData(GnnKind.Sage)]
    [InlineData(GnnKind.Gat)]
    public void NoGradientCrossesALayerBoundary(GnnKind kind)
    {
        // Given its input and the broadcast error, layer 1's update is the same whatever the layers above hold.
        using var scope = NewDisposeScope();
        Tensor train = tensor(Train), labels = tensor(Labels);
        (BasicGnn Gnn, DfaRule Rule) Build()
        {
            manual_seed(8);
            var gnn = new BasicGnn(kind, 3, 4, 3, 3);
            return (gnn, new DfaRule(gnn, 3, train, labels, lr: 0.01, weightDecay: 5e-4, alpha: 0.1, steps: 5, threshold: 0.5));
        }
        (BasicGnn one, DfaRule oneRule) = Build();
        (BasicGnn other, DfaRule otherRule) = Build();
        using (no_grad())
            foreach (GraphConv conv in other.Convs.Skip(1))
                foreach (Parameter q in conv.parameters()) q.copy_(randn_like(q));
        using var graph = new GraphTensors(Edges, CPU);
        var inputs = new List<Tensor> { X() };
        using (no_grad()) one.Forward(X(), graph, inputs);   // the hidden inputs, which carry no autograd graph
        Tensor error = randn(6, 3);

        oneRule.Update(inputs, error, graph);
        otherRule.Update(inputs, error, graph);

        Parameter[] mine = one.Convs[0].parameters().ToArray();
        Assert.All(mine, q => Assert.NotNull(q.grad));
        Assert.All(mine.Zip(other.Convs[0].parameters()), q => Assert.True(q.First.grad!.eq(q.Second.grad!).all().item<bool>(), "layer 1's update depends on the layers above"));
    }

    [Fact]
    public void LearnsAnSbmGraphAndKeepsTheLiveTensorCountFlat()
    {
        (RunResult result, List<long> live) = SbmRun.CountingLiveTensors("dfa", epochs: 160);

        Assert.Equal(80, live.Count);
        Assert.All(live.Skip(1), n => Assert.Equal(live[1], n));
        Assert.InRange(result.Test, 60, 100);   // 3 classes: chance is about 33 %
    }
}
