using ForwardGnn.Learning;
using ForwardGnn.Models;

namespace ForwardGnn.Tests.Models;

public class ModelKindsTests
{
    /// <summary>Every registered algorithm's runs return a model that a saved folder can be restored into.</summary>
    [Fact]
    public void EveryRegisteredAlgorithmHasAModelType() =>
        Assert.Equal(LearningAlgorithms.All.Select(a => a.Name).Order(), ModelKinds.Algorithms.Order());
}
