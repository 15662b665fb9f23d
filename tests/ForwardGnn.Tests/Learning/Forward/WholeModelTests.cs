using ForwardGnn.Layers;
using ForwardGnn.Learning.Forward;
using ForwardGnn.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Learning.Forward;

public class WholeModelTests
{
    [Fact]
    public void EarlyStoppingRestoresEveryLayer()
    {
        using var scope = NewDisposeScope();
        GraphConv[] convs = [new GcnConv(3, 4), new SageConv(4, 2)];
        var model = new WholeModel(convs);
        using var stopper = new EarlyStopping(patience: 5);
        Tensor[] best = convs.SelectMany(c => c.parameters()).Select(p => p.detach().clone()).ToArray();

        Assert.Equal(best.Length, model.parameters().Count());
        Assert.False(stopper.Check(1, 1, model));
        using (no_grad())
            foreach (Tensor p in convs.SelectMany(c => c.parameters())) p.add_(1);
        Assert.False(stopper.Check(0, 3, model));
        Assert.True(stopper.RestoreBest(model));

        Tensor[] restored = convs.SelectMany(c => c.parameters()).ToArray();
        for (int i = 0; i < best.Length; i++) Assert.True(restored[i].allclose(best[i], rtol: 0, atol: 0), $"parameter {i} was not restored");
    }

    [Fact]
    public void DisposingReleasesOnlyTheLayersItOwns()   // a run hands its layers to the model it returns
    {
        GraphConv[] kept = [new GcnConv(3, 4), new SageConv(4, 2)];
        new WholeModel(kept).Dispose();
        Assert.All(kept, conv => Assert.All(conv.parameters(), p => Assert.False(p.IsInvalid)));
        Assert.All(kept, conv => Assert.NotEmpty(conv.parameters()));

        GraphConv owned = new GcnConv(3, 4);
        new WholeModel([owned], ownsLayers: true).Dispose();
        Assert.Empty(owned.parameters());
        foreach (GraphConv conv in kept) conv.Dispose();
    }

    [Fact]
    public void ABareModuleListRegistersNothing()   // why WholeModel exists; fails once TorchSharp changes this
    {
        using var scope = NewDisposeScope();
        using var list = new ModuleList<GraphConv>(new GcnConv(3, 4));
        Assert.Empty(list.parameters());
    }
}
