using System.Diagnostics;
using ForwardGnn.Training;

namespace ForwardGnn.Learning;

/// <summary>What training and freezing one layer of a greedy schedule gave: the model up to it, tested and validated.</summary>
internal readonly record struct LayerOutcome(double Test, double Val, int Epochs);

/// <summary>
/// The greedy layer-wise schedule (spec §3.2): layer 1 first, each layer trained on its own (on the
/// <see cref="Training.Loop.TrainingLoop"/>) and frozen before the next starts. One run reports every depth 1..L;
/// the run's numbers are those of depth L.
/// </summary>
internal static class LayerWise
{
    /// <param name="trainLayer">Trains and freezes layer l (0-based) and evaluates the model up to it.</param>
    /// <param name="c">The run.</param>
    /// <param name="layers">Number of layers L.</param>
    /// <param name="clock">The run's clock.</param>
    public static RunResult Run(RunContext c, int layers, Stopwatch clock, Func<int, LayerOutcome> trainLayer)
    {
        var perDepth = new List<DepthResult>(layers);
        for (int l = 0; l < layers; l++)
        {
            LayerOutcome layer = trainLayer(l);
            perDepth.Add(new DepthResult(l + 1, layer.Test, layer.Val, layer.Epochs, clock.Elapsed.TotalSeconds, Summary.PeakRssMiB()));
        }
        DepthResult top = perDepth[^1];
        return new RunResult(c.Split, c.Seed, top.Test, top.Val, perDepth.Sum(d => d.Epochs), clock.Elapsed.TotalSeconds) { PerDepth = perDepth };
    }
}
