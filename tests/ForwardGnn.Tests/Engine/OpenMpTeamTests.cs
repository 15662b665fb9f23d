using ForwardGnn.Engine;

namespace ForwardGnn.Tests.Engine;

public class OpenMpTeamTests
{
    [Fact]
    public void LoopsRunOnLibTorchsOpenMpTeam() => Assert.True(OpenMpTeam.OnLibTorchTeam);

    [Fact]
    public void RunsEveryItemExactlyOnce()
    {
        var hits = new int[1000];
        OpenMpTeam.For(hits.Length, threads: 2, i => Interlocked.Increment(ref hits[i]));
        Assert.All(hits, h => Assert.Equal(1, h));
    }

    [Fact]
    public void ItemsRunOnAsManyThreadsAsAsked()
    {
        var threads = new System.Collections.Concurrent.ConcurrentDictionary<int, bool>();
        // The first item waits until a second thread has taken one, so the loop cannot finish on one thread alone.
        OpenMpTeam.For(2, threads: 2, i =>
        {
            threads[Environment.CurrentManagedThreadId] = true;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (threads.Count < 2 && clock.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(1);
        });
        Assert.Equal(2, threads.Count);
    }

    [Fact]
    public void AnExceptionInAnItemReachesTheCaller()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            OpenMpTeam.For(100, threads: 2, i => { if (i == 37) throw new InvalidOperationException("item 37"); }));
        Assert.Equal("item 37", error.Message);
    }
}
