using System.Text;
using Microsoft.Extensions.Time.Testing;
using RomanaAws.Core.Security;

namespace RomanaAws.Core.Tests.Security;

public sealed class ReloadingFilesTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("romana-reload-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Current_ReloadsOnlyWhenContentChanges_AtMostOncePerInterval_KeepsTheLastGoodOnABadChange()
    {
        var path = Path.Combine(_directory, "value");
        File.WriteAllText(path, "1");
        var time = new FakeTimeProvider();
        var files = new ReloadingFiles<string>([path], c =>
        {
            var text = Encoding.UTF8.GetString(c[0]);
            return text.StartsWith('!') ? throw new FormatException($"bad value {text}") : text;
        }, time, TimeSpan.FromSeconds(1));
        Assert.Equal(("1", 1), (files.Current, files.Loads));

        // Changed, but checked again only after the interval.
        File.WriteAllText(path, "2");
        Assert.Equal("1", files.Current);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(("2", 2), (files.Current, files.Loads));

        // Unchanged content: no new load.
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(("2", 2), (files.Current, files.Loads));

        // A change that does not load (or a file gone): the last good value, and why.
        File.WriteAllText(path, "!half");
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("2", files.Current);
        Assert.Contains("bad value !half (still using the previous content)", files.LastError, StringComparison.Ordinal);
        File.Delete(path);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("2", files.Current);
        Assert.NotNull(files.LastError);

        // Fixed: taken, and the error cleared.
        File.WriteAllText(path, "3");
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(("3", null), (files.Current, files.LastError));
    }

    [Fact]
    public void Current_FirstLoadFails_Throws()
    {
        var files = new ReloadingFiles<string>([Path.Combine(_directory, "missing")], c => "x", TimeProvider.System, TimeSpan.FromSeconds(1));
        Assert.Throws<FileNotFoundException>(() => files.Current);
    }
}
