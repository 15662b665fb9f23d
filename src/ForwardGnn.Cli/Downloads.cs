using ForwardGnn.Data;

namespace ForwardGnn.Cli;

/// <summary>The downloader the CLI uses for datasets missing from every data root.</summary>
internal static class Downloads
{
    public static DatasetDownloader Create() => new(new HttpClient { Timeout = TimeSpan.FromMinutes(10) });
}
