using System.Text.Json;
using ForwardGnn.Training;

namespace ForwardGnn.Tests.Training;

public class NonFiniteAsNullConverterTests
{
    private sealed record Row(double A, double B, double C);

    private static readonly JsonSerializerOptions Options = new() { Converters = { new NonFiniteAsNullConverter() } };

    [Fact]
    public void NonFiniteNumbersRoundTripThroughNull()
    {
        string json = JsonSerializer.Serialize(new Row(1.5, double.NaN, double.NegativeInfinity), Options);
        Assert.Equal("""{"A":1.5,"B":null,"C":null}""", json);
        Row back = JsonSerializer.Deserialize<Row>(json, Options)!;
        Assert.Equal(1.5, back.A);
        Assert.True(double.IsNaN(back.B) && double.IsNaN(back.C));
    }
}
