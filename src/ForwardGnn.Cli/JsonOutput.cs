using System.Text.Json;
using ForwardGnn.Training;

namespace ForwardGnn.Cli;

/// <summary>One JSON style for everything the tool prints or writes: camelCase, compact, unmeasured numbers as null.</summary>
internal static class JsonOutput
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Converters = { new NonFiniteAsNullConverter() } };
}
