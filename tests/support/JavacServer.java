// One long-lived javac for tests that compile many small projects (tests/manifest_walk.rs): a
// JVM start and javac's warm-up per compile cost more than the compile itself. Reads requests
// from stdin: a header line `release \t classpath \t outdir \t count`, then `count` source paths,
// one a line; answers `RESULT <javac exit code> <bytes>` followed by that many bytes of javac's
// output. The file manager is shared, so jars already opened stay open between compiles.
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

public class JavacServer {
    public static void main(String[] args) throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StandardJavaFileManager files = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        OutputStream out = System.out;
        String header;
        while ((header = in.readLine()) != null) {
            String[] h = header.split("\t", -1);
            int count = Integer.parseInt(h[3]);
            List<File> sources = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                sources.add(new File(in.readLine()));
            }
            new File(h[2]).mkdirs();
            List<String> options = Arrays.asList(
                    "-nowarn", "-Xlint:none", "-encoding", "UTF-8", "--release", h[0], "-cp", h[1], "-d", h[2]);
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            int code;
            try (PrintWriter w = new PrintWriter(new OutputStreamWriter(log, StandardCharsets.UTF_8))) {
                Iterable<? extends JavaFileObject> units = files.getJavaFileObjectsFromFiles(sources);
                code = javac.getTask(w, files, null, options, null, units).call() ? 0 : 1;
            } catch (RuntimeException e) {
                code = 2;
                log.write(String.valueOf(e).getBytes(StandardCharsets.UTF_8));
            }
            byte[] bytes = log.toByteArray();
            out.write(("RESULT " + code + " " + bytes.length + "\n").getBytes(StandardCharsets.UTF_8));
            out.write(bytes);
            out.flush();
        }
    }
}
