using ForwardGnn.Layers;
using ForwardGnn.Training;

namespace ForwardGnn.Tests.Training;

public class TrainConfigTests
{
    [Theory]
    [InlineData("Layers", "must be at least 1 (and at most 64)")]
    [InlineData("WeightDecay", "must be non-negative")]
    [InlineData("Theta", "must be a finite number")]
    [InlineData("Hidden", "must be a multiple of 4 for GAT")]
    public void ValidateNamesTheSettingAndTheProblem(string setting, string problem)
    {
        TrainConfig config = setting switch
        {
            "Layers" => new TrainConfig { Layers = 0 },
            "WeightDecay" => new TrainConfig { WeightDecay = -1 },
            "Theta" => new TrainConfig { Forward = new ForwardOptions { Theta = double.NaN } },
            _ => new TrainConfig { Gnn = GnnKind.Gat, Hidden = 6 },
        };
        var e = Assert.Throws<InvalidSettingException>(config.Validate);
        Assert.Equal((setting, problem), (e.Setting, e.Problem));
        Assert.Equal($"{setting} {problem}", e.Message);
    }

    [Fact]
    public void TheDefaultsAreValid() => new TrainConfig().Validate();
}
