using System.Globalization;
using System.Text;

namespace ForwardGnn.Tests.Fuzz;

/// <summary>
/// Mutates a checkpoint folder where it is structured: a layer's summary and a split's result (JSON fields given other
/// types, boundary numbers, NaN, nesting, or dropped; the document truncated) and the layer's parameter file (its
/// bytes damaged, cut, extended or emptied), or a file removed.
/// </summary>
internal static class CheckpointMutator
{
    private static readonly string[] Values = ["null", "\"x\"", "[]", "{}", "true", "-1", "1e300", "NaN", "\"NaN\"", "2147483648", "9223372036854775808", "0.5", "[1,[2]]"];

    public static void Mutate(string folder, byte[] cleanParameters, Random rng)
    {
        string layerJson = "{\"epochs\": 6, \"bestVal\": 50}";
        string runJson = "{\"split\": 0, \"seed\": 10100, \"test\": 50, \"val\": 60, \"epochs\": 6, \"trainSeconds\": 0.1}";
        byte[] parameters = cleanParameters;
        switch (rng.Next(4))
        {
            case 0: layerJson = MutateJson(layerJson, rng); break;
            case 1: runJson = MutateJson(runJson, rng); break;
            case 2: parameters = rng.Next(5) == 0 ? [.. cleanParameters, .. new byte[rng.Next(1, 64)]] : Boundary.Damage(cleanParameters, rng); break;
            default: parameters = MutateLengths(cleanParameters, rng); break;
        }
        File.WriteAllText(Path.Combine(folder, "split1-layer1.json"), layerJson);
        File.WriteAllText(Path.Combine(folder, "split0.json"), runJson);
        File.WriteAllBytes(Path.Combine(folder, "split1-layer1.pt"), parameters);
        if (rng.Next(10) == 0) File.Delete(Path.Combine(folder, rng.Pick(["split1-layer1.json", "split0.json", "split1-layer1.pt"])));
    }

    /// <summary>Replaces a field's value, drops a field, or truncates the document.</summary>
    private static string MutateJson(string json, Random rng)
    {
        string[] parts = json.Trim('{', '}').Split(", ");
        int i = rng.Next(parts.Length);
        string key = parts[i].Split(':')[0];
        switch (rng.Next(4))
        {
            case 0: parts[i] = $"{key}: {rng.Pick(Values)}"; break;
            case 1: parts[i] = $"{key}: {Boundary.Integer(rng).ToString(CultureInfo.InvariantCulture)}"; break;
            case 2: parts = parts.Where((_, k) => k != i).ToArray(); break;
            default: return json[..rng.Next(json.Length)];
        }
        return "{" + string.Join(", ", parts) + "}";
    }

    /// <summary>Overwrites a 4- or 8-byte little-endian field (a length or count in the parameter file) with a boundary value.</summary>
    private static byte[] MutateLengths(byte[] clean, Random rng)
    {
        byte[] bytes = (byte[])clean.Clone();
        if (bytes.Length < 8) return bytes;
        int at = rng.Next(Math.Min(bytes.Length - 8, 64));
        byte[] value = rng.Next(2) == 0 ? BitConverter.GetBytes(Boundary.Integer(rng)) : BitConverter.GetBytes(unchecked((int)Boundary.Integer(rng)));
        value.CopyTo(bytes, at);
        return bytes;
    }
}
