using System.Text.Json;

namespace ForwardGnn.Cli;

/// <summary>One JSON style for everything the tool prints or writes: camelCase, compact.</summary>
internal static class JsonOutput
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
