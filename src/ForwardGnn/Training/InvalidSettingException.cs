namespace ForwardGnn.Training;

/// <summary>
/// A setting of <see cref="TrainConfig"/> (or <see cref="ForwardOptions"/>) that no run can use. The message is
/// "<see cref="Setting"/> <see cref="Problem"/>", e.g. "Layers must be at least 1 (and at most 64)"; front ends that
/// expose the setting under another name (a command-line flag) can say it in their own words.
/// </summary>
public sealed class InvalidSettingException(string setting, string problem) : ArgumentException($"{setting} {problem}")
{
    /// <summary>The property's name, e.g. <c>Layers</c> or <c>Temperature</c>.</summary>
    public string Setting { get; } = setting;

    /// <summary>What is wrong with its value, e.g. "must be positive".</summary>
    public string Problem { get; } = problem;
}
