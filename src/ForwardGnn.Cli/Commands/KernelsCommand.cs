using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using ForwardGnn.Cli.Protocol;
using ForwardGnn.Data;
using ForwardGnn.Engine;
using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using ForwardGnn.Training;
using Spectre.Console;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Cli.Commands;

/// <summary>
/// <c>forwardgnn kernels</c>: times the products a GCN epoch is made of, on a dataset's own shapes, so that
/// <c>train --bench</c>'s epoch time can be set against the machine's floor: the sparse-feature product X·W
/// [N, F]·[F, H] and its transpose Xᵀ·G [F, N]·[N, H] (layer 1's weight gradient), both as the written-out steps
/// make them (W laid out [F, H], no autograd), the normalised-adjacency product Â·H [N, N]·[N, H], the dense GEMM H·W [N, H]·[H, H], the
/// weight gradient's GEMM Gᵀ·H [H, N]·[N, H], and one elementwise pass (ReLU) over [N, H]; and, when H splits into GAT's 4 heads, a GAT layer's edge softmax and
/// attention-weighted sum, forward and with their backward. Each is the median of <c>--repeat</c> runs after one warm-up.
/// </summary>
internal static class KernelsCommand
{
    private static readonly Option<string?> Dataset = new("--dataset") { Description = "Dataset name, alias or sbm: spec [CitationFull-Cora_ML]" };
    private static readonly Option<int> Hidden = new("--hidden") { Description = "Hidden channels H", DefaultValueFactory = _ => 128 };
    private static readonly Option<int> Repeat = new("--repeat") { Description = "Timed runs per kernel", DefaultValueFactory = _ => 20 };
    private static readonly Option<int?> Threads = new("--threads") { Description = "CPU threads [all cores]" };
    private static readonly Option<string?> DataRootOption = CommonOptions.DataRoot();
    private static readonly Option<bool> JsonOption = CommonOptions.Json();
    private static readonly Option<bool> NoDownload = CommonOptions.NoDownload();

    /// <summary>One timed kernel: what it computes, its median time and its arithmetic rate.</summary>
    internal sealed record KernelTiming(string Kernel, string Shape, double MedianMs, double Gflops);

    public static Command Create()
    {
        var command = new Command("kernels", "Time the sparse and dense products of a GCN epoch and a GAT layer's attention on a dataset's shapes (the floor for train --bench)");
        foreach (Option o in new Option[] { Dataset, Hidden, Repeat, Threads, DataRootOption, JsonOption, NoDownload }) command.Options.Add(o);
        command.SetAction(parse => CliErrors.Run(parse, () => Execute(parse)));
        return command;
    }

    private static int Execute(ParseResult parse)
    {
        int hidden = parse.GetValue(Hidden), repeat = parse.GetValue(Repeat);
        if (hidden < 1 || repeat < 1) throw new UsageException("--hidden and --repeat must be at least 1");
        int threads = parse.GetValue(Threads) ?? Environment.ProcessorCount;
        if (threads < 1) throw new UsageException("--threads must be at least 1");
        string name = parse.GetValue(Dataset) ?? "CitationFull-Cora_ML";
        var roots = DataRootSearch.Resolve(parse.GetValue(DataRootOption));
        GraphDataset data = new DatasetLoader(roots, parse.GetValue(NoDownload) ? null : Downloads.Create(), null).Load(name);
        ForwardGnn.Engine.ComputeThreads.Set(threads);

        using var scope = NewDisposeScope();
        torch.manual_seed(0);
        int n = data.NumNodes, f = data.NumFeatures;
        Tensor x = FeatureTensor.From(data.Features, CPU);
        using var graph = new GraphTensors(data.Edges, CPU);
        // W₁ laid out [F, H], as the written-out steps keep it while they train (no transposing copy per product).
        Tensor w = randn(f, hidden), h = randn(n, hidden), square = randn(hidden, hidden);
        SparseOperator? features = SparseFeatures.OperatorOf(x);
        long featureEntries = x.is_sparse ? data.Features.StoredCount : (long)n * f;
        string layout = x.is_sparse ? "CSR" : "dense";
        var timings = new List<KernelTiming>
        {
            Time($"features X·W ({layout})", $"[{n}, {f}]·[{f}, {hidden}]", 2.0 * featureEntries * hidden, repeat,
                () => features?.Product(w) ?? x.mm(w)),
            Time($"features Xᵀ·G ({layout})", $"[{f}, {n}]·[{n}, {hidden}]", 2.0 * featureEntries * hidden, repeat,
                () => features?.TransposedProduct(h) ?? x.t().mm(h)),
            Time("adjacency Â·H (CSR)", $"[{n}, {n}]·[{n}, {hidden}], {graph.GcnAdjacency.StoredCount} entries",
                2.0 * graph.GcnAdjacency.StoredCount * hidden, repeat, () => graph.GcnAdjacency.Product(h)),
            Time("dense GEMM H·W", $"[{n}, {hidden}]·[{hidden}, {hidden}]", 2.0 * n * hidden * hidden, repeat, () => h.mm(square)),
            Time("weight-gradient GEMM Gᵀ·H", $"[{hidden}, {n}]·[{n}, {hidden}]", 2.0 * n * hidden * hidden, repeat, () => h.t().mm(h)),
            Time("elementwise ReLU(H)", $"[{n}, {hidden}]", (double)n * hidden, repeat, () => nn.functional.relu(h)),
        };
        if (hidden % GatHeads == 0) timings.AddRange(AttentionTimings(graph, h, repeat));

        if (parse.GetValue(JsonOption))
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new { dataset = data.Name, nodes = n, features = f, hidden, threads, kernels = timings },
                JsonOutput.Options));
            return 0;
        }
        var table = new Table().Title($"{data.Name} · H = {hidden} · {threads} threads").AddColumns("kernel", "shape", "median ms", "GFLOP/s");
        foreach (KernelTiming t in timings) table.AddRow(t.Kernel, Markup.Escape(t.Shape), $"{t.MedianMs:F3}", $"{t.Gflops:F1}");
        AnsiConsole.Write(table);
        return 0;
    }

    private const int GatHeads = 4;

    /// <summary>
    /// A GAT layer's attention on the graph with self-loops (E edges, 4 heads): the edge softmax of the scores and the
    /// α-weighted sum of H, each forward and forward + backward. Their rates count one operation per edge and head
    /// (softmax) and two per edge and column (weighted sum; its backward makes two such passes).
    /// </summary>
    private static IEnumerable<KernelTiming> AttentionTimings(GraphTensors graph, Tensor h, int repeat)
    {
        long n = h.shape[0], hidden = h.shape[1], edges = graph.AttentionEdgeCount;
        var attention = graph.Attention;
        Tensor scoreSource = randn(n, GatHeads), scoreTarget = randn(n, GatHeads);
        Tensor alpha = attention.Softmax(scoreSource, scoreTarget, GatConv.NegativeSlope);
        string shape = $"{edges} edges × {GatHeads} heads";
        yield return Time("GAT edge softmax", shape, (double)edges * GatHeads, repeat,
            () => attention.Softmax(scoreSource, scoreTarget, GatConv.NegativeSlope));
        yield return Time("GAT edge softmax + backward", shape, 2.0 * edges * GatHeads, repeat, () =>
        {
            Tensor s = scoreSource.detach().requires_grad_(), t = scoreTarget.detach().requires_grad_();
            Tensor a = attention.Softmax(s, t, GatConv.NegativeSlope);
            a.backward([alpha]);
            return a;
        });
        shape = $"{edges} edges × [{n}, {hidden}]";
        yield return Time("GAT weighted sum Σ α·H", shape, 2.0 * edges * hidden, repeat, () => attention.Aggregate(alpha, h, GatHeads));
        yield return Time("GAT weighted sum + backward", shape, 6.0 * edges * hidden, repeat, () =>
        {
            Tensor a = alpha.detach().requires_grad_(), x = h.detach().requires_grad_();
            Tensor output = attention.Aggregate(a, x, GatHeads);
            output.backward([h]);
            return output;
        });
    }

    private static KernelTiming Time(string kernel, string shape, double flops, int repeat, Func<Tensor> run)
    {
        using (NewDisposeScope()) run();   // warm-up
        var seconds = new List<double>();
        for (int i = 0; i < repeat; i++)
        {
            using var _ = NewDisposeScope();
            long start = Stopwatch.GetTimestamp();
            run();
            seconds.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
        double median = StepTimings.Median(seconds);
        return new KernelTiming(kernel, shape, median * 1000, flops / median / 1e9);
    }
}
