using ForwardGnn.Cli.Commands;
using ForwardGnn.Data;
using ForwardGnn.Learning;

namespace ForwardGnn.Cli.Reproduce;

/// <summary>
/// Expands a selection (datasets × tasks × GNNs × algorithms × depths × splits) into training runs. Algorithms that do
/// not support a task are left out; layer-wise algorithms run once at the largest depth, since that one run reports
/// every smaller depth too.
/// </summary>
internal static class ExperimentMatrix
{
    public static List<MatrixRun> Expand(IReadOnlyList<string> datasets, IReadOnlyList<string> tasks, IReadOnlyList<string> gnns,
        IReadOnlyList<string> algos, IReadOnlyList<int> layers, IReadOnlyList<int> splits)
    {
        if (layers.Count == 0 || layers.Any(l => l < 1)) throw new UsageException("--layers must list depths of at least 1");
        if (splits.Count == 0 || splits.Any(s => s < 0)) throw new UsageException("--splits must list non-negative splits");
        var runs = new List<MatrixRun>();
        foreach (string task in tasks.Select(t => TrainSettings.ParseTask(t).ToString().ToLowerInvariant()))
        foreach (string dataset in datasets.Select(d => DatasetCatalog.Find(d).Name))
        foreach (string gnn in gnns.Select(g => Layers.GnnLayers.Parse(g).ToString().ToLowerInvariant()))
        foreach (ILearningAlgorithm algo in algos.Select(LearningAlgorithms.Find))
        {
            if (!algo.Supports(TrainSettings.ParseTask(task))) continue;
            IEnumerable<int> depths = algo.ReportsEveryDepth ? [layers.Max()] : layers.Distinct().Order();
            foreach (int depth in depths)
            foreach (int split in splits.Distinct().Order())
                runs.Add(new MatrixRun(task, dataset, gnn, algo.Name, depth, split));
        }
        return runs;
    }
}
