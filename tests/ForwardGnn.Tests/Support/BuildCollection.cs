namespace ForwardGnn.Tests.Support;

/// <summary>
/// Test classes that run <c>dotnet build</c> or <c>dotnet pack</c> over the repository's projects (which read and may
/// touch their bin/ and obj/ folders): one at a time, beside the other tests.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BuildCollection
{
    public const string Name = "dotnet builds over the repository's projects";
}
