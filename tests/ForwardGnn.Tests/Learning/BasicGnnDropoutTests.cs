using ForwardGnn.Cli.Protocol;
using ForwardGnn.Data;
using ForwardGnn.Data.Splits;
using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using ForwardGnn.Learning.Backprop;
using ForwardGnn.Training;
using ForwardGnn.Tests.Support;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Learning;

/// <summary>BP's network with dropout on its hidden activations (<see cref="BasicGnn.TrainingForward"/>), and BP's use of it.</summary>
[Collection(SerialCollection.Name)]
public class BasicGnnDropoutTests
{
    private static readonly EdgeIndex Edges = SixNodeGraph.Edges;

    private static Tensor X() => SixNodeGraph.X();

    [Fact]
    public void WithoutDropoutTheTrainingForwardIsThePlainForwardAndDrawsNothing()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var gnn = new BasicGnn(GnnKind.Gcn, 3, 8, 3, 2);
        using var graph = new GraphTensors(Edges, CPU);
        Tensor plain = gnn.Forward(X(), graph, hidden: null);
        var hidden = new List<Tensor>();
        var masks = new List<Tensor>();

        manual_seed(7);
        Tensor training = gnn.TrainingForward(X(), graph, hidden, masks);
        Tensor after = randn(4);
        manual_seed(7);
        Tensor untouched = randn(4);

        Assert.True(training.eq(plain).all().item<bool>(), "p = 0 changes the forward pass");
        Assert.Empty(masks);
        Assert.Equal(2, hidden.Count);
        Assert.True(after.eq(untouched).all().item<bool>(), "p = 0 draws from the generator");
    }

    [Fact]
    public void DropoutMasksEveryHiddenActivationInTrainingOnly()
    {
        // GCN, L = 3, p = 0.25: h₁ = m₁ ⊙ ReLU(Â x W₁ᵀ + b₁), h₂ = m₂ ⊙ ReLU(Â h₁ W₂ᵀ + b₂), logits Â h₂ W₃ᵀ + b₃, with
        // m_ℓ [6, 64] entries 0 or 1 / 0.75; the plain forward is the same without the masks.
        using var scope = NewDisposeScope();
        manual_seed(11);
        const double p = 0.25;
        var gnn = new BasicGnn(GnnKind.Gcn, 3, 64, 3, 2, dropout: p);
        using var graph = new GraphTensors(Edges, CPU);
        Parameter[] w = gnn.parameters().ToArray();   // W₁ [64, 3], b₁, W₂ [64, 64], b₂, W₃ [2, 64], b₃
        var hidden = new List<Tensor>();
        var masks = new List<Tensor>();
        Tensor x = X();

        Tensor logits = gnn.TrainingForward(x, graph, hidden, masks);
        Tensor plain = gnn.call(x, graph);

        Assert.Equal(2, masks.Count);
        float kept = (float)(1 / (1 - p));
        foreach (Tensor m in masks)
        {
            Assert.Equal([6L, 64L], m.shape);
            Assert.True(m.eq(0).logical_or(m.eq(kept)).all().item<bool>(), "mask entries are 0 or 1 / (1 − p)");
        }
        double keptShare = masks.Sum(m => m.ne(0).sum().item<long>()) / (2.0 * 6 * 64);
        Assert.InRange(keptShare, 0.68, 0.82);   // 768 draws of Bernoulli(0.75): std 0.016
        Tensor aHat = SixNodeGraph.DenseGcnOperator();
        using (no_grad())
        {
            Tensor h1 = aHat.matmul(x).matmul(w[0].t()).add(w[1]).relu();
            Tensor h2 = aHat.matmul(h1.mul(masks[0])).matmul(w[2].t()).add(w[3]).relu();
            Tensor expected = aHat.matmul(h2.mul(masks[1])).matmul(w[4].t()).add(w[5]);
            Assert.True(hidden[0].allclose(h1.mul(masks[0]), rtol: 1e-5, atol: 1e-6), "h₁ = m₁ ⊙ ReLU(a₁)");
            Assert.True(hidden[1].allclose(h2.mul(masks[1]), rtol: 1e-5, atol: 1e-6), "h₂ = m₂ ⊙ ReLU(a₂)");
            Assert.True(logits.allclose(expected, rtol: 1e-5, atol: 1e-6), "logits of the masked forward");
            Tensor unmasked = aHat.matmul(aHat.matmul(h1).matmul(w[2].t()).add(w[3]).relu()).matmul(w[4].t()).add(w[5]);
            Assert.True(plain.allclose(unmasked, rtol: 1e-5, atol: 1e-6), "the plain forward drops nothing");
            Assert.False(logits.allclose(plain), "the masks change the training forward");
        }
    }

    [Fact]
    public void BackpropWithDropoutValidatesWithoutIt()
    {
        // BP's validation normally reuses the training forward's output; with dropout that output is masked, so the
        // validation must take its own plain forward: the restored best model's plain accuracy on the validation nodes
        // is then the best check exactly.
        GraphDataset data = SharedData.Load("citeseer");
        var config = new TrainConfig { Dataset = data.Name, Epochs = 40, Layers = 2, Lr = 0.01, Dropout = 0.5, Threads = 1 };
        var checks = new List<ValidationRecord>();
        RunResult result = new Experiment(data, SharedData.Roots, config, CPU).RunSplit(0, checks.Add, keepModel: true);
        RunResult plain = new Experiment(data, SharedData.Roots, config with { Dropout = 0 }, CPU).RunSplit(0);
        using var model = result.Model!;
        NodeSplit split = OfficialSplits.Load(SharedData.Roots, data, 0);

        double val = model.Predict(data, split.Val).Accuracy(data.Labels);

        Assert.Equal(checks.Max(c => c.Val), result.Val, 9);
        Assert.Equal(result.Val, val, 9);
        Assert.NotEqual(plain.Val, result.Val);   // dropout changed the run
        Assert.InRange(result.Test, 60, 100);     // and it still learns (6 classes)
    }
}
