namespace ForwardGnn.Tests.Support;

/// <summary>The checkout the tests run from: the nearest folder above the test binaries that holds <c>ForwardGnn.slnx</c>.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "ForwardGnn.slnx"))) return dir.FullName;
        throw new InvalidOperationException("ForwardGnn.slnx was not found above " + AppContext.BaseDirectory);
    }
}
