using System.Text;
using ForwardGnn.Cli.Commands;
using ForwardGnn.Tests.Support;
using ForwardGnn.Training;

namespace ForwardGnn.Tests.Cli.Commands;

/// <summary>Seeded random corruption of a config file must only ever give a clean one-line usage error.</summary>
public class TrainSettingsFuzzTests
{
    private const string Clean = """
        dataset: citeseer
        task: node
        gnn: gat
        algo: sf
        layers: 4
        splits: 0-4
        epochs: 1000
        patience: 100
        valEvery: 2
        lr: 0.001
        weightDecay: 0.0005
        hidden: 128
        seed: 100
        threads: 2
        onNan: restore
        """;

    private static string Mutate(string text, Random rng)
    {
        const string alphabet = ": -,.\n\t#'\"[]{}&*!|>%@`0123456789eE+abcxyz\u00e9\u0000";
        var s = new StringBuilder(text);
        switch (rng.Next(4))
        {
            case 0:   // replace a few characters
                for (int k = rng.Next(1, 6); k > 0 && s.Length > 0; k--) s[rng.Next(s.Length)] = alphabet[rng.Next(alphabet.Length)];
                break;
            case 1:   // truncate
                s.Length = rng.Next(s.Length + 1);
                break;
            case 2:   // insert a run of characters
                s.Insert(rng.Next(s.Length + 1), new string(Enumerable.Range(0, rng.Next(1, 12)).Select(_ => alphabet[rng.Next(alphabet.Length)]).ToArray()));
                break;
            default:  // swap a value for a huge or odd one
                string[] odd = ["99999999999999999999", "-1", "1e400", "NaN", "~", "[1, 2]", "{a: b}", "0x10", "''", "4-0", "1--2"];
                string[] lines = s.ToString().Split('\n');
                int line = rng.Next(lines.Length);
                lines[line] = lines[line].Split(':')[0] + ": " + odd[rng.Next(odd.Length)];
                s = new StringBuilder(string.Join('\n', lines));
                break;
        }
        return s.ToString();
    }

    [Fact]
    public void MutatedConfigFilesGiveUsageErrorsOnly()
    {
        using var dir = new TempDir();
        string path = dir["config.yaml"];
        var rng = new Random(1127);
        int accepted = 0, refused = 0;
        for (int i = 0; i < 2000; i++)
        {
            File.WriteAllText(path, Mutate(Clean, rng));
            try
            {
                TrainConfig config = TrainSettings.Load(path).ApplyTo(new TrainConfig());
                config.Validate();
                accepted++;
            }
            catch (Exception e) when (e is UsageException or ArgumentException)
            {
                Assert.DoesNotContain('\n', e.Message.TrimEnd());
                refused++;
            }
        }
        Assert.True(accepted > 100 && refused > 100, $"{accepted} accepted, {refused} refused");
    }
}
