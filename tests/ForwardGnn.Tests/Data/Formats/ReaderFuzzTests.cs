using System.IO.Compression;
using ForwardGnn.Data;
using ForwardGnn.Data.Formats;
using ForwardGnn.Data.Splits;
using ForwardGnn.Tests.Support;

namespace ForwardGnn.Tests.Data.Formats;

/// <summary>Seeded random corruption of dataset and split files must only ever produce a clean data error.</summary>
public class ReaderFuzzTests
{
    private static byte[] Mutate(byte[] original, Random rng)
    {
        byte[] bytes = (byte[])original.Clone();
        switch (rng.Next(3))
        {
            case 0:   // flip a few bytes
                for (int k = rng.Next(1, 8); k > 0; k--) bytes[rng.Next(bytes.Length)] = (byte)rng.Next(256);
                return bytes;
            case 1:   // truncate
                return bytes[..rng.Next(bytes.Length)];
            default:  // overwrite a run with garbage
                int start = rng.Next(bytes.Length), length = Math.Min(rng.Next(1, 64), bytes.Length - start);
                rng.NextBytes(bytes.AsSpan(start, length));
                return bytes;
        }
    }

    private static void ExpectCleanOutcome(Action read)
    {
        try
        {
            read();
        }
        catch (DataFormatException)
        {
        }
    }

    [Theory]
    [InlineData(CompressionLevel.NoCompression)]
    [InlineData(CompressionLevel.Optimal)]
    public void MutatedNpzFilesGiveDataErrorsOnly(CompressionLevel level)
    {
        using var dir = new TempDir();
        NpzBuilder.SmallGraph().Write(dir["clean.npz"], level);
        byte[] clean = File.ReadAllBytes(dir["clean.npz"]);
        var rng = new Random(2024 + (int)level);
        var format = new Graph2GaussNpzFormat("g.npz");
        for (int i = 0; i < 1000; i++)
        {
            File.WriteAllBytes(dir["g.npz"], Mutate(clean, rng));
            ExpectCleanOutcome(() => format.Read("fuzz", dir["g.npz"]));
        }
    }

    [Fact]
    public void MutatedSplitFilesGiveDataErrorsOnly()
    {
        using var dir = new TempDir();
        string official = Path.Combine(SharedData.Root, "forwardgnn-datasplits", "datasplits", "CitationFull-Cora_ML", "node-5splits", "val-node-index-split0.pt");
        byte[] clean = File.ReadAllBytes(official);
        var rng = new Random(7);
        for (int i = 0; i < 300; i++)
        {
            File.WriteAllBytes(dir["s.pt"], Mutate(clean, rng));
            ExpectCleanOutcome(() => TorchIndexFile.Read(dir["s.pt"]));
        }
    }

    [Fact]
    public void MutatedPlanetoidPicklesGiveDataErrorsOnly()
    {
        using var dir = new TempDir();
        string[] parts = ["x", "y", "tx", "ty", "allx", "ally", "graph", "test.index"];
        foreach (string part in parts)
            File.Copy(Path.Combine(SharedData.Root, "Planetoid-Cora", $"ind.cora.{part}"), dir[$"ind.cora.{part}"]);
        var format = new PlanetoidFormat("cora");
        var rng = new Random(11);
        foreach (string part in new[] { "y", "ty", "ally", "graph", "test.index" })
        {
            byte[] clean = File.ReadAllBytes(dir[$"ind.cora.{part}"]);
            for (int i = 0; i < 40; i++)
            {
                File.WriteAllBytes(dir[$"ind.cora.{part}"], Mutate(clean, rng));
                ExpectCleanOutcome(() => format.Read("fuzz", dir["ind.cora.graph"]));
            }
            File.WriteAllBytes(dir[$"ind.cora.{part}"], clean);
        }
    }
}
