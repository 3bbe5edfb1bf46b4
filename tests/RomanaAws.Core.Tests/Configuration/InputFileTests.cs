using RomanaAws.Core.Configuration;

namespace RomanaAws.Core.Tests.Configuration;

public sealed class InputFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("romana-input-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string Refused(string path, int maxBytes = InputFile.DefaultMaxBytes) =>
        Assert.Throws<ConfigException>(() => InputFile.ReadText(path, "--config", maxBytes)).Message;

    [Fact]
    public void ReadText_EndlessDevice_StopsAtTheCap()
    {
        Assert.Contains("is larger than 1 MiB", Refused("/dev/zero", 1024 * 1024), StringComparison.Ordinal);
        Assert.Contains("is larger than 1 MiB", Refused("/dev/urandom", 1024 * 1024), StringComparison.Ordinal);
    }

    [Fact]
    public void ReadText_DirectoryMissingAndBinary_NamedErrors()
    {
        Assert.Contains("is a directory", Refused(_directory), StringComparison.Ordinal);
        Assert.EndsWith("nope.yaml: file not found", Refused(Path.Combine(_directory, "nope.yaml")), StringComparison.Ordinal);
        var binary = Path.Combine(_directory, "b.yaml");
        File.WriteAllBytes(binary, [0x61, 0xff, 0xfe, 0x62]);
        Assert.Contains("not UTF-8 text (invalid byte at offset 1)", Refused(binary), StringComparison.Ordinal);
    }

    [Fact]
    public void ReadText_FileAtTheCap_IsRead()
    {
        var path = Path.Combine(_directory, "exact.yaml");
        File.WriteAllText(path, new string('a', 4096));
        Assert.Equal(4096, InputFile.ReadText(path, "--config", 4096).Length);
        Assert.Contains("is larger than", Refused(path, 4095), StringComparison.Ordinal);
    }
}
