using System.Text.Json;
using System.Text.Json.Serialization;

namespace ForwardGnn.Training;

/// <summary>
/// Writes NaN and ±∞ as JSON <c>null</c> (JSON has no such numbers) and reads <c>null</c> back as NaN. A metric that was
/// never measured, such as the validation time of a run without validation (<c>--patience -1</c>), is NaN.
/// </summary>
internal sealed class NonFiniteAsNullConverter : JsonConverter<double>
{
    public override bool HandleNull => true;

    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        if (double.IsFinite(value)) writer.WriteNumberValue(value);
        else writer.WriteNullValue();
    }
}
