using System.Globalization;
using System.Text;

namespace ForwardGnn.Tests.Fuzz;

/// <summary>
/// Writes the three MUSAE GitHub files of a small valid graph, then mutates them where they are structured: ids and
/// labels replaced by boundary numbers or odd spellings, lines dropped, doubled or split, the header lost; in the
/// features JSON, lists made null, nested, strings or boundary ids (near 2^31, huge feature ids), nodes missing or extra.
/// </summary>
internal static class MusaeMutator
{
    public static void Write(string folder, Random rng)
    {
        int n = rng.Next(2, 12);
        var targets = new List<string> { "id,name,ml_target" };
        targets.AddRange(Enumerable.Range(0, n).Select(i => $"{i},user{i},{i % 2}"));
        var edges = new List<string> { "id_1,id_2" };
        edges.AddRange(Enumerable.Range(0, n).Select(i => $"{i},{(i + 1) % n}"));
        var features = Enumerable.Range(0, n).Select(i => (Key: $"{i}", Value: $"[{i % 3}, {(i * 7) % 5}]")).ToList();

        switch (rng.Next(3))
        {
            case 0: MutateCsv(targets, rng, fields: 3); break;
            case 1: MutateCsv(edges, rng, fields: 2); break;
            default: MutateFeatures(features, rng); break;
        }
        if (rng.Next(4) == 0) MutateFeatures(features, rng);

        string json = "{" + string.Join(", ", features.Select(f => $"\"{f.Key}\": {f.Value}")) + "}";
        if (rng.Next(15) == 0) json = json[..rng.Next(json.Length)];
        File.WriteAllText(Path.Combine(folder, "musae_git_target.csv"), string.Join("\n", targets) + "\n");
        File.WriteAllText(Path.Combine(folder, "musae_git_edges.csv"), string.Join("\n", edges) + (rng.Next(5) == 0 ? "" : "\n"));
        File.WriteAllText(Path.Combine(folder, "musae_git_features.json"), json, new UTF8Encoding(rng.Next(10) == 0));
    }

    private static void MutateCsv(List<string> lines, Random rng, int fields)
    {
        for (int k = rng.Next(1, 3); k > 0; k--)
        {
            int i = rng.Next(lines.Count);
            string[] cells = lines[i].Split(',');
            switch (rng.Next(6))
            {
                case 0: cells[rng.Next(cells.Length)] = Boundary.NumberText(rng); lines[i] = string.Join(",", cells); break;
                case 1: lines.RemoveAt(i); break;
                case 2: lines.Insert(i, lines[i]); break;
                case 3: lines[i] = string.Join(rng.Pick([";", ",,", " ", "\t"]), cells); break;
                case 4: lines.Insert(i, rng.Pick(["", ",", new string(',', fields + 2), "\u0000"])); break;
                default: lines[i] = lines[i][..rng.Next(lines[i].Length + 1)]; break;
            }
            if (lines.Count == 0) return;
        }
    }

    private static void MutateFeatures(List<(string Key, string Value)> features, Random rng)
    {
        if (features.Count == 0) return;
        int i = rng.Next(features.Count);
        string id() => Boundary.NumberText(rng);
        switch (rng.Next(8))
        {
            case 0: features[i] = (features[i].Key, "null"); break;
            case 1: features[i] = (features[i].Key, $"[{id()}]"); break;
            case 2: features[i] = (features[i].Key, $"[{id()}, {id()}, {Boundary.Integer(rng).ToString(CultureInfo.InvariantCulture)}]"); break;
            case 3: features[i] = (features[i].Key, rng.Pick(["[[1]]", "[\"1\"]", "{}", "1", "\"x\"", "[null]", "[]", "[true]"])); break;
            case 4: features.RemoveAt(i); break;
            case 5: features.Add((Boundary.NumberText(rng), "[0]")); break;
            case 6: features[i] = (Boundary.NumberText(rng), features[i].Value); break;
            default: features[i] = (features[i].Key, $"[{string.Join(", ", Enumerable.Range(0, rng.Next(1, 50)).Select(_ => rng.Next(0, 5000)))}]"); break;
        }
    }
}
