using System.Text.Json;
using ForwardGnn.Cli;
using ForwardGnn.Cli.Plots;
using ForwardGnn.Tests.Support;
using ForwardGnn.Training;

namespace ForwardGnn.Tests.Cli.Plots;

public class CurvePlotTests
{
    private static readonly ValidationRecord[] TopDown =
    [
        new(0, 1, 0, 2.5, 60, 0.1) { LayerLosses = [2f, 3f] },
        new(0, 3, 0, 1.5, 70, 0.2) { LayerLosses = [1f, 2f] },
    ];

    [Fact]
    public void AWholeModelRunWithLayerLossesGetsALossLinePerLayer()
    {
        CurvePlot.Series whole = Assert.Single(CurvePlot.Curves(TopDown, r => r.Loss));
        Assert.Equal("whole model", whole.Label);
        Assert.Equal([2.0, 4.0], whole.Epochs);
        Assert.Equal([2.5, 1.5], whole.Values);

        List<CurvePlot.Series> layers = CurvePlot.LayerLossCurves(TopDown);
        Assert.Equal(["layer 1", "layer 2"], layers.Select(s => s.Label));
        Assert.Equal([2.0, 1.0], layers[0].Values);
        Assert.Equal([3.0, 2.0], layers[1].Values);
        Assert.Equal([2.0, 4.0], layers[1].Epochs);
    }

    [Fact]
    public void LayerWiseRunsAndRecordsWithoutLayerLossesGetNoPerLayerLossLines()
    {
        ValidationRecord[] layerWise = [new(0, 1, 1, 0.9, 60, 0.1), new(0, 1, 2, 0.8, 70, 0.2)];
        Assert.Equal(["layer 1", "layer 2"], CurvePlot.Curves(layerWise, r => r.Val).Select(s => s.Label));
        Assert.Empty(CurvePlot.LayerLossCurves(layerWise));
        Assert.Empty(CurvePlot.LayerLossCurves([TopDown[0], new(0, 5, 0, 1.0, 75, 0.3)]));   // an older line without them
    }

    [Fact]
    public void ARunFolderOfATopDownRunPlotsToPng()
    {
        using var dir = new TempDir();
        File.WriteAllLines(dir["metrics.jsonl"], TopDown.Select(r => JsonSerializer.Serialize(r, JsonOutput.Options)));
        string path = CurvePlot.Write(dir.Path, null, null);
        byte[] png = File.ReadAllBytes(path);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
    }
}
