namespace ForwardGnn.Data;

/// <summary>A dataset is in none of the data roots and could not (or may not) be downloaded.</summary>
public sealed class DatasetNotFoundException(string message) : Exception(message);
