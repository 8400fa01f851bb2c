#!/usr/bin/env python3
"""A static file server for the browser test that answers HTTP Range requests (igv.js reads
indexed files — FASTA + .fai, BGZF + .tbi, bigWig — by byte ranges; python3 -m http.server does
not support Range). Usage: range-http-server.py DIR PORTFILE — serves DIR on a free port of
127.0.0.1 and writes the port to PORTFILE once it listens."""
import http.server
import os
import re
import sys


class RangeHandler(http.server.SimpleHTTPRequestHandler):
    def send_head(self):
        match = re.fullmatch(r'bytes=(\d*)-(\d*)', self.headers.get('Range', ''))
        path = self.translate_path(self.path)
        if not match or not os.path.isfile(path):
            return super().send_head()
        size = os.path.getsize(path)
        first, last = match.groups()
        if first == '':   # a suffix range: the last N bytes
            start, end = max(0, size - int(last or 0)), size - 1
        else:
            start, end = int(first), min(size - 1, int(last) if last else size - 1)
        if start >= size or start > end:
            self.send_error(416, 'Range Not Satisfiable')
            return None
        f = open(path, 'rb')
        f.seek(start)
        self.send_response(206)
        self.send_header('Content-Type', self.guess_type(path))
        self.send_header('Content-Range', f'bytes {start}-{end}/{size}')
        self.send_header('Content-Length', str(end - start + 1))
        self.send_header('Accept-Ranges', 'bytes')
        self.end_headers()
        self.remaining = end - start + 1
        return f

    def copyfile(self, source, outputfile):
        # A ranged answer sends only its bytes; a whole file goes as usual.
        remaining = getattr(self, 'remaining', None)
        if remaining is None:
            return super().copyfile(source, outputfile)
        while remaining > 0:
            chunk = source.read(min(65536, remaining))
            if not chunk:
                break
            outputfile.write(chunk)
            remaining -= len(chunk)
        self.remaining = None

    def log_message(self, format, *args):
        pass


def main():
    directory, port_file = sys.argv[1], sys.argv[2]
    handler = lambda *a, **k: RangeHandler(*a, directory=directory, **k)
    with http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler) as server:
        with open(port_file + '.tmp', 'w') as f:
            f.write(str(server.server_address[1]))
        os.rename(port_file + '.tmp', port_file)
        server.serve_forever()


if __name__ == '__main__':
    main()
