using ForwardGnn.Data;
using ForwardGnn.Layers;
using ForwardGnn.Training;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace ForwardGnn.Cli.Commands;

/// <summary>
/// The <c>train</c> settings as they appear in a YAML config file and in the resolved <c>config.yaml</c>
/// (camelCase keys). Null means "not set here"; layering is defaults &lt; file &lt; flags.
/// </summary>
internal sealed class TrainSettings
{
    public string? Dataset { get; set; }
    public string? Task { get; set; }
    public string? Gnn { get; set; }
    public string? Algo { get; set; }
    public int? Layers { get; set; }
    public string? Splits { get; set; }
    public int? Epochs { get; set; }
    public int? Patience { get; set; }
    public int? ValEvery { get; set; }
    public double? Lr { get; set; }
    public double? WeightDecay { get; set; }
    public int? Hidden { get; set; }
    public double? Dropout { get; set; }
    public int? Seed { get; set; }
    public int? Threads { get; set; }
    public string? OnNan { get; set; }
    public double? Temperature { get; set; }
    public double? FfTheta { get; set; }
    public int? TestTimeSteps { get; set; }
    public double? GradMaxNorm { get; set; }
    public double? DfaAlpha { get; set; }
    public int? DfaSteps { get; set; }
    public double? DfaThreshold { get; set; }
    public bool? DfaSoftmax { get; set; }

    private static readonly IDeserializer Reader = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();
    private static readonly ISerializer Writer = new SerializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();

    /// <summary>Largest settings file read.</summary>
    public const int MaxFileBytes = 1 << 16;

    public static TrainSettings Load(string path)
    {
        if (!File.Exists(path)) throw new UsageException($"{path}: file not found");
        // A settings file is a few hundred bytes; a huge one (a 200 MB scalar) would take minutes to parse.
        long size = new FileInfo(path).Length;
        if (size > MaxFileBytes) throw new UsageException($"{path}: is {size:N0} bytes, more than a settings file may be ({MaxFileBytes:N0})");
        try
        {
            return Reader.Deserialize<TrainSettings?>(File.ReadAllText(path)) ?? new TrainSettings();
        }
        catch (YamlException e)
        {
            string why = EchoedText.Shorten((e.InnerException?.Message ?? e.Message).ReplaceLineEndings(" "), 160);
            throw new UsageException($"{path}: line {e.Start.Line}: {why}");
        }
    }

    /// <summary>Applies every non-null setting of this layer on top of <paramref name="c"/>.</summary>
    public TrainConfig ApplyTo(TrainConfig c) => c with
    {
        Dataset = Dataset ?? c.Dataset,
        Task = Task is null ? c.Task : ParseTask(Task),
        Gnn = Gnn is null ? c.Gnn : GnnLayers.Parse(Gnn),
        Algo = Algo ?? c.Algo,
        Layers = Layers ?? c.Layers,
        Epochs = Epochs ?? c.Epochs,
        Patience = Patience ?? c.Patience,
        ValEvery = ValEvery ?? c.ValEvery,
        Lr = Lr ?? c.Lr,
        WeightDecay = WeightDecay ?? c.WeightDecay,
        Hidden = Hidden ?? c.Hidden,
        Dropout = Dropout ?? c.Dropout,
        Seed = Seed ?? c.Seed,
        Threads = Threads ?? c.Threads,
        OnNan = OnNan is null ? c.OnNan : ParseNanPolicy(OnNan),
        Forward = c.Forward with
        {
            Temperature = Temperature ?? c.Forward.Temperature,
            Theta = FfTheta ?? c.Forward.Theta,
            TestTimeSteps = TestTimeSteps ?? c.Forward.TestTimeSteps,
            GradMaxNorm = GradMaxNorm ?? c.Forward.GradMaxNorm,
            DfaAlpha = DfaAlpha ?? c.Forward.DfaAlpha,
            DfaSteps = DfaSteps ?? c.Forward.DfaSteps,
            DfaThreshold = DfaThreshold ?? c.Forward.DfaThreshold,
            DfaSoftmax = DfaSoftmax ?? c.Forward.DfaSoftmax,
        },
    };

    /// <summary>The splits this layer names, or <paramref name="otherwise"/> when it names none.</summary>
    public int[] SplitsOr(int[] otherwise) => Splits is null ? otherwise : ParseIntRanges(Splits);

    /// <summary>
    /// Writes a default run's settings into nothing: the serializer's first use (about 60 ms, mostly compiling code),
    /// which <c>train</c> does on a background thread during start-up (<see cref="StartupWarmUp"/>), instead of when it
    /// creates the run folder.
    /// </summary>
    public static void Warm()
    {
        try
        {
            _ = ToYaml(new TrainConfig(), [0]);
        }
        catch (Exception)
        {
            // Only a warm-up: the real serialization reports its own errors.
        }
    }

    public static string ToYaml(TrainConfig c, int[] splits) => Writer.Serialize(new TrainSettings
    {
        Dataset = c.Dataset, Task = c.Task.ToString().ToLowerInvariant(), Gnn = c.Gnn.ToString().ToLowerInvariant(),
        Algo = c.Algo, Layers = c.Layers, Splits = string.Join(",", splits), Epochs = c.Epochs, Patience = c.Patience,
        ValEvery = c.ValEvery, Lr = c.Lr, WeightDecay = c.WeightDecay, Hidden = c.Hidden, Dropout = c.Dropout, Seed = c.Seed, Threads = c.Threads,
        OnNan = c.OnNan.ToString().ToLowerInvariant(), Temperature = c.Forward.Temperature, FfTheta = c.Forward.Theta,
        TestTimeSteps = c.Forward.TestTimeSteps, GradMaxNorm = c.Forward.GradMaxNorm,
        DfaAlpha = c.Forward.DfaAlpha, DfaSteps = c.Forward.DfaSteps, DfaThreshold = c.Forward.DfaThreshold,
        DfaSoftmax = c.Forward.DfaSoftmax,
    });

    public static NanPolicy ParseNanPolicy(string text) => text.ToLowerInvariant() switch
    {
        "stop" => NanPolicy.Stop,
        "restore" => NanPolicy.Restore,
        _ => throw new UsageException($"unknown --on-nan policy '{EchoedText.Shorten(text)}' (known: stop, restore)"),
    };

    public static TaskKind ParseTask(string task) => task.ToLowerInvariant() switch
    {
        "node" or "node-class" => TaskKind.Node,
        "link" or "link-pred" => TaskKind.Link,
        _ => throw new UsageException($"unknown task '{EchoedText.Shorten(task)}' (known: node, link)"),
    };

    /// <summary>"3", "0-4" or "0,2,4": non-negative integers and ascending ranges (used for splits and depths).</summary>
    public static int[] ParseIntRanges(string text)
    {
        var values = new List<int>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            string[] ends = part.Split('-');
            if (ends.Length > 2 || !ends.All(e => int.TryParse(e, out int v) && v >= 0))
                throw new UsageException($"bad list '{EchoedText.Shorten(text)}' (use e.g. 0, 0-4 or 0,2,4)");
            int from = int.Parse(ends[0]), to = int.Parse(ends[^1]);
            if (to < from || to - from > 1000) throw new UsageException($"bad range '{EchoedText.Shorten(part)}' in '{EchoedText.Shorten(text)}' (use e.g. 0-4)");
            values.AddRange(Enumerable.Range(from, to - from + 1));
        }
        return [.. values];
    }
}
