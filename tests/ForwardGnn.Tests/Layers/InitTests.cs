using ForwardGnn.Layers;
using ForwardGnn.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Layers;

/// <summary>
/// Each conv draws its parameters in PyG 2.2's order, repeats included, so one seed gives PyG's initial weights.
/// The oracle replays PyG's sequence of <c>uniform_</c> calls on fresh tensors from the same seed.
/// </summary>
[Collection(SerialCollection.Name)]   // replays the global generator's draws: another test drawing in between breaks them
public class InitTests
{
    private const int Seed = 10100, In = 7, Out = 8;

    private static Tensor Uniform(double bound, params long[] shape) => empty(shape).uniform_(-bound, bound);

    private static void AssertSame(Tensor expected, nn.Module conv, string name) =>
        Assert.Equal(expected.data<float>().ToArray(), LayerOracle.Parameter(conv, name).data<float>().ToArray());   // bitwise

    private static double GlorotBound(long fanIn, long fanOut) => Math.Sqrt(6.0 / (fanIn + fanOut));

    [Fact]
    public void GcnDrawsItsWeightTwiceAsPyG()
    {
        using var scope = NewDisposeScope();
        manual_seed(Seed);
        Uniform(GlorotBound(In, Out), Out, In);                 // Linear's constructor
        Tensor weight = Uniform(GlorotBound(In, Out), Out, In); // GCNConv.reset_parameters()
        manual_seed(Seed);
        var conv = new GcnConv(In, Out);

        AssertSame(weight, conv, "weight");
        AssertSame(zeros(Out), conv, "bias");
    }

    [Fact]
    public void SageDrawsRootAndNeighbourWeightsInPyGsOrder()
    {
        using var scope = NewDisposeScope();
        double bound = 1 / Math.Sqrt(In);
        manual_seed(Seed);
        Tensor wl = null!, bl = null!, wr = null!;
        for (int draw = 0; draw < 2; draw++)   // lin_l and lin_r's constructors, then SAGEConv.reset_parameters()
        {
            wl = Uniform(bound, Out, In);
            bl = Uniform(bound, Out);
            wr = Uniform(bound, Out, In);
        }
        manual_seed(Seed);
        var conv = new SageConv(In, Out);

        AssertSame(cat([wl, wr]), conv, "weight");
        AssertSame(bl, conv, "bias");
    }

    [Fact]
    public void GatDrawsItsSharedWeightThreeTimesThenTheAttentionAsPyG()
    {
        using var scope = NewDisposeScope();
        const int heads = 4, perHead = 2;
        manual_seed(Seed);
        Tensor weight = null!;
        for (int draw = 0; draw < 3; draw++)   // Linear's constructor, then reset_parameters() of lin_src and lin_dst
            weight = Uniform(GlorotBound(In, heads * perHead), heads * perHead, In);
        Tensor attSrc = Uniform(GlorotBound(perHead, heads), 1, heads, perHead);
        Tensor attDst = Uniform(GlorotBound(perHead, heads), 1, heads, perHead);
        manual_seed(Seed);
        var conv = new GatConv(In, perHead, heads);

        AssertSame(weight, conv, "weight");
        AssertSame(attSrc, conv, "att_src");
        AssertSame(attDst, conv, "att_dst");
    }
}
