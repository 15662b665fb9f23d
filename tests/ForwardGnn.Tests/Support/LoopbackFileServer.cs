using System.Net;
using System.Net.Sockets;

namespace ForwardGnn.Tests.Support;

/// <summary>
/// Serves files under a folder over HTTP on 127.0.0.1 only, for download tests. Requests are bounded: the server
/// stops after <c>maxRequests</c> or on dispose.
/// </summary>
internal sealed class LoopbackFileServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _folder;
    private readonly Task _loop;

    public LoopbackFileServer(string folder, int maxRequests = 16)
    {
        _folder = folder;
        int port = FreePort();
        BaseUrl = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(BaseUrl.ToString());
        _listener.Start();
        _loop = Task.Run(() => Serve(maxRequests));
    }

    public Uri BaseUrl { get; }
    public int Requests { get; private set; }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private async Task Serve(int maxRequests)
    {
        while (Requests < maxRequests && _listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) { return; }
            Requests++;
            string path = Path.Combine(_folder, Uri.UnescapeDataString(context.Request.Url!.AbsolutePath.TrimStart('/')));
            if (File.Exists(path))
            {
                byte[] body = await File.ReadAllBytesAsync(path);
                context.Response.ContentLength64 = body.Length;
                await context.Response.OutputStream.WriteAsync(body);
            }
            else
            {
                context.Response.StatusCode = 404;
            }
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
