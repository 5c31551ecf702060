using System.ComponentModel;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace StartFrame.Cli.Commands.Submitting;

/// <summary>
/// Local files as <c>validate</c> and <c>upload</c> read them: bounded, like the pipeline's ranged reads (an endless
/// device such as <c>/dev/zero</c> yields its first bytes, not an OutOfMemoryException), and only regular files. On
/// Unix a file is opened non-blocking, because opening a named pipe for reading otherwise waits for a writer forever;
/// what cannot seek (a pipe, a socket, a terminal) is then refused with one line.
/// </summary>
internal static class LocalFiles
{
    private const int ReadOnly = 0;

    [UnmanagedFunctionPointer(CallingConvention.Cdecl, SetLastError = true)]
    private delegate int OpenFunction([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    private static readonly Lazy<OpenFunction?> s_open = new(LoadOpen);

    /// <summary>Opens <paramref name="path"/> for reading.</summary>
    /// <exception cref="IOException">It does not exist, is a folder, or is not a regular file; the message says which.</exception>
    /// <exception cref="UnauthorizedAccessException">It may not be read.</exception>
    public static FileStream OpenRegular(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
        {
            throw new IOException($"'{path}' is a folder, not a file.");
        }

        if (s_open.Value is not { } open || NonBlocking() is not { } nonBlocking)
        {
            return CheckSeekable(File.OpenRead(path), path);
        }

        var descriptor = open(path, ReadOnly | nonBlocking);
        if (descriptor < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            var reason = new Win32Exception(errno).Message;
            throw errno is 2 ? new FileNotFoundException($"Could not find file '{path}'.", path) : errno is 13 ? new UnauthorizedAccessException($"'{path}': {reason}") : new IOException($"'{path}': {reason}");
        }

        return CheckSeekable(new FileStream(new SafeFileHandle(descriptor, ownsHandle: true), FileAccess.Read, bufferSize: 0), path);
    }

    /// <summary>The first <paramref name="maxBytes"/> bytes of a regular file (fewer when it is shorter).</summary>
    public static byte[] ReadAtMost(string path, int maxBytes)
    {
        using var stream = OpenRegular(path);
        return ReadAtMost(stream, maxBytes);
    }

    /// <summary>The next <paramref name="maxBytes"/> bytes of <paramref name="stream"/> (fewer at its end).</summary>
    public static byte[] ReadAtMost(Stream stream, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = new byte[maxBytes];
        var read = 0;
        int n;
        while (read < maxBytes && (n = stream.Read(buffer, read, maxBytes - read)) > 0)
        {
            read += n;
        }

        return read == maxBytes ? buffer : buffer[..read];
    }

    private static FileStream CheckSeekable(FileStream stream, string path)
    {
        if (stream.CanSeek)
        {
            return stream;
        }

        stream.Dispose();
        throw new IOException($"'{path}' is not a regular file (a pipe, socket or terminal); give a file.");
    }

    private static int? NonBlocking() =>
        OperatingSystem.IsLinux() ? 0x800 : OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD() ? 0x4 : null;

    private static OpenFunction? LoadOpen()
    {
        var library = OperatingSystem.IsLinux() ? "libc.so.6" : OperatingSystem.IsMacOS() ? "libSystem.dylib" : OperatingSystem.IsFreeBSD() ? "libc.so.7" : null;
        return library is not null && NativeLibrary.TryLoad(library, out var handle) && NativeLibrary.TryGetExport(handle, "open", out var function)
            ? Marshal.GetDelegateForFunctionPointer<OpenFunction>(function)
            : null;
    }
}
