namespace ForwardGnn.Data;

/// <summary>Progress of one download: bytes received so far and the total when the server says it.</summary>
public readonly record struct DownloadProgress(string File, long Received, long? Total);

/// <summary>
/// Fetches a dataset file from the URL PyG uses. The body goes to <c>&lt;file&gt;.part</c> and is renamed into place
/// only once complete, so an interrupted download never leaves a file that looks whole.
/// </summary>
public sealed class DatasetDownloader(HttpClient http, Func<DatasetInfo, Uri?>? urlFor = null)
{
    /// <summary>Where <paramref name="info"/> is fetched from (a mirror in tests, PyG's URL otherwise).</summary>
    public Uri? UrlFor(DatasetInfo info) => urlFor is null ? info.DownloadUrl : urlFor(info);

    /// <summary>Downloads <paramref name="url"/> to <paramref name="destination"/> through a <c>.part</c> file renamed only when complete, reporting <paramref name="progress"/>.</summary>
    public async Task DownloadAsync(Uri url, string destination, IProgress<DownloadProgress>? progress, CancellationToken cancel = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(destination))!);
        string partial = destination + ".part";
        try
        {
            using HttpResponseMessage response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancel);
            if (!response.IsSuccessStatusCode)
                throw new DatasetNotFoundException($"download of {url} failed: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            long? total = response.Content.Headers.ContentLength;
            await using (Stream body = await response.Content.ReadAsStreamAsync(cancel))
            await using (FileStream file = File.Create(partial))
            {
                var buffer = new byte[1 << 16];
                long received = 0;
                int read;
                while ((read = await body.ReadAsync(buffer, cancel)) > 0)
                {
                    await file.WriteAsync(buffer.AsMemory(0, read), cancel);
                    received += read;
                    progress?.Report(new DownloadProgress(destination, received, total));
                }
                if (total is { } expected && received != expected)
                    throw new DatasetNotFoundException($"download of {url} ended after {received} of {expected} bytes");
            }
            File.Move(partial, destination, overwrite: true);
        }
        catch (HttpRequestException e)
        {
            throw new DatasetNotFoundException($"download of {url} failed: {e.Message}");
        }
        finally
        {
            if (File.Exists(partial)) File.Delete(partial);
        }
    }
}
