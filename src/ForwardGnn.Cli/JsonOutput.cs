using System.Text.Json;
using ForwardGnn.Models;
using ForwardGnn.Training;

namespace ForwardGnn.Cli;

/// <summary>One JSON style for everything the tool prints or writes: camelCase, compact, unmeasured numbers as null.</summary>
internal static class JsonOutput
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Converters = { new NonFiniteAsNullConverter() } };

    /// <summary>
    /// Serializes a validation record, a result and a model's card and weights header once, into nothing: the first
    /// serialization of a type builds its serializer (tens of milliseconds, mostly compiling code), which <c>train</c>
    /// does on a background thread while it loads, instead of at its first check and at its end.
    /// </summary>
    public static void Warm()
    {
        try
        {
            JsonSerializer.Serialize(new ValidationRecord(0, 0, 0, 0, double.NaN, 0) { LayerLosses = [0f] }, Options);
            JsonSerializer.Serialize(TrainResult.From(new TrainConfig(), [0], "accuracy", [new RunResult(0, 0, 0, 0, 1, 0)], 0), Options);
            GnnModel.WarmSerializers();
        }
        catch (Exception)
        {
            // Only a warm-up: the real serialization reports its own errors.
        }
    }
}
