using ForwardGnn.Engine;
using static TorchSharp.torch;

namespace ForwardGnn.Training;

/// <summary>What to do when the loss or a parameter stops being finite.</summary>
public enum NanPolicy
{
    /// <summary>Stop the run with a <see cref="NumericalFaultException"/> naming the layer and epoch.</summary>
    Stop,

    /// <summary>Load the last validation checkpoint back and end training of that module (layer or model) there.</summary>
    Restore,
}

/// <summary>A NaN or infinite loss or parameter; the message names where (layer and epoch).</summary>
public sealed class NumericalFaultException(string message) : Exception(message);

/// <summary>
/// The check every training loop makes: the loss after each step, the watched parameters at each validation check.
/// On a fault it either throws (<see cref="NanPolicy.Stop"/>) or restores the last checkpoint and tells the loop to
/// end (<see cref="NanPolicy.Restore"/>), so no NaN ever reaches a result.
/// </summary>
internal static class NumericalGuard
{
    public static bool AllFinite(nn.Module watched)
    {
        using var _ = no_grad();
        return watched.parameters().All(FiniteScan.AllFinite);
    }

    /// <summary>Handles a fault found at <paramref name="epoch"/> (0-based) of <paramref name="layer"/> (0: the whole model).</summary>
    /// <returns>Always true: the caller's loop ends.</returns>
    public static bool Fault(NanPolicy policy, string what, int layer, int epoch, EarlyStopping stopper, nn.Module watched)
    {
        string where = layer > 0 ? $"layer {layer}, epoch {epoch + 1}" : $"epoch {epoch + 1}";
        if (policy == NanPolicy.Restore && stopper.RestoreBest(watched)) return true;
        string hint = policy == NanPolicy.Restore ? " before any checkpoint" : "; NanPolicy.Restore goes back to the last checkpoint instead";
        throw new NumericalFaultException($"non-finite {what} at {where}{hint}");
    }
}
