using System.Diagnostics;
using System.Text.Json;
using ForwardGnn.Tests.Support;

namespace ForwardGnn.Tests.Cli.Distributed;

/// <summary>
/// Distributed SF through Open MPI, as a user runs it: one rank through MPI (singleton mode) is the single-process run
/// bit for bit, and two ranks (mpirun on this machine) train the same model up to the order of float additions, with a
/// halo exchange and a class-sum all-reduce once per layer and one gradient all-reduce per step.
/// </summary>
[Collection(SerialCollection.Name)]   // mpirun ranks use every core
public class DistributedTrainTests
{
    /// <summary>SF-GCN L2 for 20 epochs per layer on Cora_ML split 0, unless <paramref name="extra"/> sets <c>--algo</c> or <c>--epochs</c>.</summary>
    private static string[] Train(string outDir, params string[] extra) =>
    [
        "train", "--dataset", "cora_ml", "--layers", "2", "--json", "--out", outDir, "--data-root", SharedData.Root, "--no-download",
        .. extra.Contains("--algo") ? Array.Empty<string>() : ["--algo", "sf"],
        .. extra.Contains("--epochs") ? Array.Empty<string>() : ["--epochs", "20"], .. extra,
    ];

    private static JsonElement Result(CliRunner.Result r)
    {
        Assert.True(r.ExitCode == 0, r.Stderr);
        return JsonDocument.Parse(r.Stdout.TrimEnd().Split('\n')[^1]).RootElement;
    }

    private static double[] DepthTests(JsonElement result) =>
        result.GetProperty("perRun")[0].GetProperty("perDepth").EnumerateArray().Select(d => d.GetProperty("test").GetDouble()).ToArray();

    [Fact]
    public void OneRankThroughMpiIsTheSingleProcessRunBitForBit()
    {
        using var dir = new TempDir();
        JsonElement plain = Result(CliRunner.Run(Train(dir["plain"], "--threads", "1")));
        JsonElement mpi = Result(CliRunner.Run(Train(dir["mpi"], "--threads", "1", "--distributed")));
        Assert.Equal(DepthTests(plain), DepthTests(mpi));
        Assert.Equal(plain.GetProperty("val").GetDouble(), mpi.GetProperty("val").GetDouble());
        Assert.Equal(plain.GetProperty("perRun")[0].GetProperty("epochs").GetInt32(), mpi.GetProperty("perRun")[0].GetProperty("epochs").GetInt32());
        Assert.Equal(0, mpi.GetProperty("traffic").GetProperty("halo").GetProperty("bytesSent").GetDouble());   // one rank sends nothing
    }

    [Fact]
    public void TwoRanksTrainTheSameModelAndExchangeHalosOncePerLayer()
    {
        using var dir = new TempDir();
        JsonElement one = Result(CliRunner.Run(Train(dir["k1"], "--threads", "1")));
        JsonElement two = Result(CliRunner.Run(Train(dir["k2"], "--ranks", "2")));
        double[] expected = DepthTests(one), actual = DepthTests(two);
        for (int d = 0; d < expected.Length; d++) Assert.InRange(actual[d], expected[d] - 1.0, expected[d] + 1.0);

        JsonElement traffic = two.GetProperty("traffic");
        long Ops(string kind) => traffic.GetProperty(kind).GetProperty("operations").GetInt64();
        int steps = two.GetProperty("perRun")[0].GetProperty("epochs").GetInt32();
        Assert.Equal(1, Ops("halo"));         // between the 2 layers: layer 1 reads its halo rows of X, nothing reads layer 2's
        Assert.Equal(2, Ops("class-sums"));   // the class nodes' aggregates, once per layer
        Assert.Equal(steps, Ops("gradients"));
        Assert.True(traffic.GetProperty("halo").GetProperty("bytesSent").GetDouble() > 0);
        Assert.True(File.Exists(Path.Combine(dir["k2"], "result.json")));                  // rank 0 writes the run folder
        Assert.True(File.Exists(Path.Combine(dir["k2"], "model.json")));
    }

    /// <summary>
    /// <c>--ranks</c> partitions once, in a preparation step that writes each rank's shard into the run folder, and the
    /// ranks read only their shards; a second preparation finds the cache current and writes nothing.
    /// </summary>
    [Fact]
    public void ThePartitionCacheIsWrittenOnceBesideTheRun()
    {
        using var dir = new TempDir();
        CliRunner.Result first = CliRunner.Run(Train(dir["k2"], "--ranks", "2"));
        Result(first);
        Assert.Contains("2 of 2 shards written", first.Stderr);
        foreach (int rank in new[] { 0, 1 })
            Assert.True(new FileInfo(Path.Combine(dir["k2"], "partitions", "K2", "split0", $"rank{rank}.shard")).Length > 0);
        CliRunner.Result again = CliRunner.Run(Train(dir["k2"], "--prepare-shards", "2"));
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Contains("0 of 2 shards written", again.Stderr);
        Assert.Equal(Path.Combine(dir["k2"], "partitions", "K2"), again.Stdout.Trim());
    }

    [Fact]
    public void BackpropOnTwoRanksExchangesHalosAndTheirGradientsEveryEpoch()
    {
        using var dir = new TempDir();
        JsonElement one = Result(CliRunner.Run(Train(dir["k1"], "--algo", "bp", "--threads", "1")));
        JsonElement two = Result(CliRunner.Run(Train(dir["k2"], "--algo", "bp", "--ranks", "2")));
        Assert.InRange(two.GetProperty("test").GetDouble(), one.GetProperty("test").GetDouble() - 1.0, one.GetProperty("test").GetDouble() + 1.0);

        JsonElement traffic = two.GetProperty("traffic");
        long Ops(string kind) => traffic.GetProperty(kind).GetProperty("operations").GetInt64();
        int epochs = two.GetProperty("perRun")[0].GetProperty("epochs").GetInt32();
        Assert.Equal(epochs, Ops("halo-gradients"));   // L − 1 = 1 layer boundary, every epoch
        Assert.Equal(epochs, Ops("gradients"));
        Assert.True(Ops("halo") >= epochs);              // and again in every validation's forward pass
    }

    /// <summary>
    /// BP's ranks under <c>--ranks</c> read their shards (a preparation step's files: their part of the graph and their
    /// own and halo rows of X) and compute what ranks that each load the whole dataset and partition it in memory
    /// (<c>mpirun ... --distributed</c> by hand) compute, bit for bit.
    /// </summary>
    [Fact]
    public void BackpropRanksReadingTheirShardsComputeWhatRanksHoldingTheWholeGraphCompute()
    {
        using var dir = new TempDir();
        CliRunner.Result launched = CliRunner.Run(Train(dir["shards"], "--algo", "bp", "--ranks", "2", "--threads", "1"));
        JsonElement fromShards = Result(launched);
        Assert.Contains("2 of 2 shards written", launched.Stderr);
        Assert.True(new FileInfo(Path.Combine(dir["shards"], "partitions", "K2", "split0", "rank1.shard")).Length > 0);

        string[] mpirun =
        [
            "-np", "2", "--oversubscribe", "--bind-to", "none", "--mca", "mpi_yield_when_idle", "1", "--mca", "rtc_hwloc_vmhole", "none",
            "-x", "OMP_NUM_THREADS=1", "-x", "TERM=dumb",
            "dotnet", Path.Combine(AppContext.BaseDirectory, "ForwardGnn.Cli.dll"),
            .. Train(dir["memory"], "--algo", "bp", "--threads", "1", "--distributed"),
        ];
        (int code, string stdout, string stderr) = Run("/usr/bin/mpirun", mpirun, TimeSpan.FromMinutes(4));
        Assert.True(code == 0, stderr);
        Assert.False(Directory.Exists(Path.Combine(dir["memory"], "partitions")));   // these ranks partitioned in memory
        JsonElement inMemory = JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]).RootElement;

        Assert.Equal(inMemory.GetProperty("test").GetDouble(), fromShards.GetProperty("test").GetDouble());
        Assert.Equal(inMemory.GetProperty("val").GetDouble(), fromShards.GetProperty("val").GetDouble());
        Assert.Equal(inMemory.GetProperty("perRun")[0].GetProperty("epochs").GetInt32(), fromShards.GetProperty("perRun")[0].GetProperty("epochs").GetInt32());
        foreach (string kind in new[] { "halo", "halo-gradients", "gradients" })
            Assert.Equal(inMemory.GetProperty("traffic").GetProperty(kind).GetProperty("bytesSent").GetDouble(),
                fromShards.GetProperty("traffic").GetProperty(kind).GetProperty("bytesSent").GetDouble());
        Assert.True(fromShards.GetProperty("traffic").GetProperty("halo").GetProperty("bytesSent").GetDouble() > 0);
        Assert.Equal(File.ReadAllBytes(Path.Combine(dir["memory"], "weights.safetensors")), File.ReadAllBytes(Path.Combine(dir["shards"], "weights.safetensors")));
    }

    /// <summary>
    /// FL-CE (link prediction): one rank through MPI is the single-process run bit for bit; two ranks reach the same
    /// ROC-AUC within a point, sending the pair targets' rows once per layer per graph and one gradient all-reduce per step.
    /// </summary>
    [Fact]
    public void ForwardLinkLearningOnTwoRanksMatchesOneProcess()
    {
        using var dir = new TempDir();
        string[] flce = ["--task", "link", "--algo", "fl-ce"];
        JsonElement plain = Result(CliRunner.Run(Train(dir["plain"], [.. flce, "--threads", "1"])));
        JsonElement mpi = Result(CliRunner.Run(Train(dir["mpi"], [.. flce, "--threads", "1", "--distributed"])));
        Assert.Equal(DepthTests(plain), DepthTests(mpi));
        Assert.Equal(plain.GetProperty("val").GetDouble(), mpi.GetProperty("val").GetDouble());

        JsonElement two = Result(CliRunner.Run(Train(dir["k2"], [.. flce, "--ranks", "2"])));
        double[] expected = DepthTests(plain), actual = DepthTests(two);
        for (int d = 0; d < expected.Length; d++) Assert.InRange(actual[d], expected[d] - 1.0, expected[d] + 1.0);
        JsonElement traffic = two.GetProperty("traffic");
        long Ops(string kind) => traffic.GetProperty(kind).GetProperty("operations").GetInt64();
        Assert.Equal(2, Ops("halo"));        // between the 2 layers, on the training graph and on the test graph
        // Per layer above the first, the targets' aggregated rows on each graph; on Cora_ML's sparse features layer 1
        // computes its targets' rows from their neighbours' features, so it sends none.
        Assert.Equal(2, Ops("pair-rows"));
        Assert.Equal(two.GetProperty("perRun")[0].GetProperty("epochs").GetInt32(), Ops("gradients"));
        Assert.True(File.Exists(Path.Combine(dir["k2"], "model.json")));
    }

    /// <summary>
    /// A distributed run killed after its first layer resumes from the last finished layer (rank 0's checkpoint,
    /// broadcast to every rank): it trains only the layers left and gives the uninterrupted run's result bit for bit.
    /// </summary>
    [Fact]
    public async Task AnInterruptedRunResumesFromItsLastFinishedLayer()
    {
        using var dir = new TempDir();
        string[] Args(string outDir) => Train(outDir, "--epochs", "100", "--patience", "-1", "--ranks", "2");
        JsonElement whole = Result(CliRunner.Run(Args(dir["whole"])));

        string checkpoints = Path.Combine(dir["run"], "checkpoints");
        string said;
        using (Process launcher = CliRunner.StartWith(new Dictionary<string, string?>(), Args(dir["run"])))
        {
            Task<string> stdout = launcher.StandardOutput.ReadToEndAsync(), stderr = launcher.StandardError.ReadToEndAsync();
            var clock = Stopwatch.StartNew();
            while (!File.Exists(Path.Combine(checkpoints, "split0-layer1.json")) && !launcher.HasExited && clock.Elapsed < TimeSpan.FromMinutes(5))
                Thread.Sleep(50);
            if (!launcher.HasExited) launcher.Kill(entireProcessTree: true);
            launcher.WaitForExit();
            said = (launcher.ExitCode == 0 ? "it had finished: " : "") + await stdout + await stderr;
        }
        Assert.True(Directory.Exists(checkpoints), $"no checkpoints when the run was stopped: {said}");
        int restored = File.Exists(Path.Combine(checkpoints, "split0.json")) ? 2 : Directory.GetFiles(checkpoints, "split0-layer*.json").Length;
        Assert.True(restored >= 1, "the first layer was never checkpointed");

        JsonElement resumed = Result(CliRunner.Run([.. Args(dir["run"]), "--resume"]));
        Assert.Equal(DepthTests(whole), DepthTests(resumed));
        Assert.Equal(100 * (2 - restored), resumed.GetProperty("traffic").GetProperty("gradients").GetProperty("operations").GetInt64());
    }

    [Theory]
    [InlineData("distributed training supports --algo sf or bp (node classification) or fl-ce (link prediction) with --gnn gcn", "--ranks", "2", "--gnn", "sage")]
    [InlineData("--ranks must be 1..256", "--ranks", "0")]
    public void UnsupportedSettingsAreRefusedBeforeAnyRankStarts(string expected, params string[] args)
    {
        using var dir = new TempDir();
        CliRunner.Result r = CliRunner.Run(Train(dir["run"], args));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(expected, r.Stderr);
    }

    /// <summary>A rank lost mid-run (killed, or stopped and silent) ends every rank within 30 s, with one line naming it.</summary>
    [Theory]
    [InlineData("KILL", "rank 1 (on ")]
    [InlineData("STOP", "waited 5 s in")]
    public async Task ALostRankStopsTheWholeJobInBoundedTime(string signal, string expected)
    {
        using var dir = new TempDir();
        using Process launcher = CliRunner.StartWith(new Dictionary<string, string?> { ["FORWARDGNN_RANK_TIMEOUT"] = "5" },
            Train(dir["run"], "--epochs", "100000", "--patience", "-1", "--ranks", "2"));
        Task<string> stdout = launcher.StandardOutput.ReadToEndAsync(), stderr = launcher.StandardError.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        int rank1 = 0;
        while (rank1 == 0 && clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            Thread.Sleep(500);
            rank1 = Descendants(launcher.Id).FirstOrDefault(p => RankOf(p) == 1);
        }
        Assert.True(rank1 != 0, $"rank 1 never started: {(launcher.HasExited ? await stderr : "")}");
        Thread.Sleep(3000);   // well into training
        using (Process kill = Process.Start("kill", [$"-{signal}", $"{rank1}"])) kill.WaitForExit();
        clock.Restart();
        bool exited = launcher.WaitForExit(TimeSpan.FromSeconds(30));
        if (!exited) launcher.Kill(entireProcessTree: true);
        if (signal == "STOP") using (Process cont = Process.Start("kill", ["-KILL", $"{rank1}"])) cont.WaitForExit();
        Assert.True(exited, $"the job was still running 30 s after rank 1 was {signal}ed");
        Assert.NotEqual(0, launcher.ExitCode);
        string[] errors = (await stderr).Split('\n').Where(l => l.StartsWith("forwardgnn: error:", StringComparison.Ordinal)).ToArray();
        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
        Assert.Empty(Descendants(launcher.Id));
        _ = await stdout;
    }

    /// <summary>
    /// Two "hosts" (network namespaces this test creates, joined by veth pairs and a bridge, TCP between them; the root
    /// namespace gets no link): the job gives the same result as two ranks on one host.
    /// </summary>
    [Fact]
    public void TwoHostsInNetworkNamespacesGiveTheResultOfTwoRanksOnOneHost()
    {
        using var dir = new TempDir();
        JsonElement local = Result(CliRunner.Run(Train(dir["local"], "--ranks", "2", "--threads", "1")));

        string root = RepositoryRoot.Path, prefix = $"fg{Environment.ProcessId % 100000}x";
        string hosts = Path.Combine(root, "build", "netns-hosts.sh");
        Run("bash", [hosts, "up", prefix, "2"], TimeSpan.FromSeconds(30));
        try
        {
            string[] mpirun =
            [
                "netns", "exec", $"{prefix}h0", "/usr/bin/mpirun", "-np", "2", "--host", $"{prefix}h1,{prefix}h2", "--bind-to", "none",
                "--mca", "plm_rsh_agent", Path.Combine(root, "build", "nsrsh"), "--mca", "btl", "tcp,self",
                "--mca", "btl_tcp_if_include", "10.213.77.0/24", "--mca", "oob_tcp_if_include", "10.213.77.0/24",
                "--mca", "mpi_yield_when_idle", "1", "--mca", "rtc_hwloc_vmhole", "none", "-x", "OMP_NUM_THREADS=1", "-x", "TERM=dumb",
                "dotnet", Path.Combine(AppContext.BaseDirectory, "ForwardGnn.Cli.dll"),
                .. Train(dir["hosts"], "--threads", "1", "--distributed"),
            ];
            (int code, string stdout, string stderr) = Run("ip", mpirun, TimeSpan.FromMinutes(4));
            Assert.True(code == 0, stderr);
            JsonElement twoHosts = JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]).RootElement;
            Assert.Equal(DepthTests(local), DepthTests(twoHosts));
            Assert.Equal(local.GetProperty("val").GetDouble(), twoHosts.GetProperty("val").GetDouble());
            Assert.Equal(local.GetProperty("traffic").GetProperty("halo").GetProperty("bytesSent").GetDouble(),
                twoHosts.GetProperty("traffic").GetProperty("halo").GetProperty("bytesSent").GetDouble());
        }
        finally
        {
            Run("bash", [hosts, "down", prefix, "2"], TimeSpan.FromSeconds(30));
        }
        Assert.DoesNotContain(prefix, Run("ip", ["netns", "list"], TimeSpan.FromSeconds(10)).Stdout);
    }

    private static (int Code, string Stdout, string Stderr) Run(string file, string[] args, TimeSpan limit)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) start.ArgumentList.Add(a);
        start.Environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1";
        start.Environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1";
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(), stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return (-1, stdout.Result, $"{file} ran past {limit.TotalSeconds} s: {stderr.Result}");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private static int RankOf(int pid)
    {
        try
        {
            string env = File.ReadAllText($"/proc/{pid}/environ");
            string? rank = env.Split('\0').FirstOrDefault(v => v.StartsWith("OMPI_COMM_WORLD_RANK=", StringComparison.Ordinal));
            return rank is null ? -1 : int.Parse(rank["OMPI_COMM_WORLD_RANK=".Length..]);
        }
        catch (IOException)
        {
            return -1;
        }
        catch (UnauthorizedAccessException)
        {
            return -1;
        }
    }

    /// <summary>The processes below <paramref name="pid"/> (children, their children, ...).</summary>
    private static int[] Descendants(int pid)
    {
        var parent = new Dictionary<int, int>();
        foreach (string dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int p)) continue;
            try
            {
                string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parent[p] = int.Parse(fields[1]);
            }
            catch (IOException)
            {
            }
        }
        var found = new List<int>();
        var frontier = new Queue<int>([pid]);
        while (frontier.TryDequeue(out int p))
            foreach (int child in parent.Where(kv => kv.Value == p).Select(kv => kv.Key))
            {
                found.Add(child);
                frontier.Enqueue(child);
            }
        return [.. found];
    }
}
