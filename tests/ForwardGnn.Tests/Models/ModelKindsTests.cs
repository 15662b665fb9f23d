using ForwardGnn.Learning;
using ForwardGnn.Models;

namespace ForwardGnn.Tests.Models;

public class ModelKindsTests
{
    /// <summary>Every registered algorithm's runs return a model that a saved folder can be restored into.</summary>
    [Fact]
    public void EveryRegisteredAlgorithmHasAModelType() =>
        Assert.Equal(LearningAlgorithms.All.Select(a => a.Name).Order(), ModelKinds.Algorithms.Order());

    [Fact]
    public void ACardOfAnUnknownAlgorithmIsRefusedWithTheFileNamed()
    {
        var card = new ModelCard(ModelCard.CurrentFormatVersion, "no-such-rule", ForwardGnn.Training.TaskKind.Node, ForwardGnn.Layers.GnnKind.Gcn, 2, 16, 8, 3);
        var e = Assert.Throws<ForwardGnn.Data.DataFormatException>(() => ModelKinds.Restore(card, new WeightSource("weights.safetensors", new Dictionary<string, TorchSharp.torch.Tensor>())));
        Assert.Contains("algorithm 'no-such-rule' has no model type", e.Message);
    }
}
