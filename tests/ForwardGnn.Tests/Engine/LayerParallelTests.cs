using ForwardGnn.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Engine;

public class LayerParallelTests
{
    /// <summary>Four independent local steps (a projection, ReLU, squared loss, backward); returns each weight's gradient.</summary>
    private static float[][] Gradients(Tensor x, Tensor[] weights)
    {
        var gradients = new float[weights.Length][];
        LayerParallel.For(0, weights.Length, i =>
        {
            weights[i].grad?.zero_();
            Tensor loss = nn.functional.relu(x.mm(weights[i])).pow(2).sum();
            loss.backward();
            gradients[i] = weights[i].grad!.data<float>().ToArray();
        });
        return gradients;
    }

    [Fact]
    public void ItemsSideBySideComputeWhatTheyComputeOneAfterTheOther()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(11);
        Tensor x = randn(400, 96, generator: generator);
        Tensor[] weights = Enumerable.Range(0, 4).Select(_ => randn(96, 64, generator: generator).requires_grad_()).ToArray();
        int saved = ComputeThreads.Count;
        try
        {
            ComputeThreads.Set(1);
            float[][] sequential = Gradients(x, weights);
            ComputeThreads.Set(2);
            long live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            float[][] parallel = Gradients(x, weights);

            for (int i = 0; i < weights.Length; i++) Assert.Equal(sequential[i], parallel[i]);   // bitwise
            Assert.Equal(live, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
            Assert.Equal(2, ComputeThreads.Count);
            Assert.Equal(2, get_num_threads());   // the calling thread's libtorch pool is restored
        }
        finally { ComputeThreads.Set(saved); }
    }
}
