using System.Text.Json;
using ForwardGnn.Tests.Support;

namespace ForwardGnn.Tests.Cli;

public class KernelsCommandTests
{
    [Fact]
    public void TimesTheGcnProductsAndTheGatAttentionOnTheDatasetsShapes()
    {
        CliRunner.Result r = CliRunner.Run("kernels", "--dataset", "sbm:nodes=500,degree=4,features=128,classes=4,seed=2", "--hidden", "16",
            "--repeat", "3", "--threads", "1", "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var doc = JsonDocument.Parse(r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        JsonElement o = doc.RootElement;
        Assert.Equal(500, o.GetProperty("nodes").GetInt32());
        Assert.Equal(128, o.GetProperty("features").GetInt32());
        JsonElement[] kernels = o.GetProperty("kernels").EnumerateArray().ToArray();
        Assert.Equal(10, kernels.Length);   // 6 GCN products, then the GAT softmax and weighted sum, each with its backward
        Assert.StartsWith("features X·W (CSR)", kernels[0].GetProperty("kernel").GetString());
        Assert.StartsWith("features Xᵀ·G (CSR)", kernels[1].GetProperty("kernel").GetString());
        Assert.Contains("[128, 500]·[500, 16]", kernels[1].GetProperty("shape").GetString());
        Assert.Contains("[500, 16]·[16, 16]", kernels[3].GetProperty("shape").GetString());
        Assert.Contains("[16, 500]·[500, 16]", kernels[4].GetProperty("shape").GetString());   // the weight gradient's GEMM
        Assert.StartsWith("GAT edge softmax", kernels[6].GetProperty("kernel").GetString());
        Assert.StartsWith("GAT weighted sum", kernels[8].GetProperty("kernel").GetString());
        Assert.All(kernels, k => Assert.True(k.GetProperty("medianMs").GetDouble() > 0 && k.GetProperty("gflops").GetDouble() > 0));
    }

    [Fact]
    public void NonPositiveRepeatIsBadInput()
    {
        CliRunner.Result r = CliRunner.Run("kernels", "--dataset", "sbm:nodes=100", "--repeat", "0");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--repeat", r.Stderr);
    }
}
